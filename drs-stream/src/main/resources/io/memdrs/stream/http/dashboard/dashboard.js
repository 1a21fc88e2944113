// memdrs dashboard: reads the stream app's HTTP API every few seconds and draws one cluster.
// Plain DOM, no library; every value from the API is inserted as text, never as markup.
(function () {
  'use strict';
  var REFRESH_MS = 5000;
  var GIB = 1024 * 1024;
  var selected = decodeURIComponent(location.hash.slice(1)) || null;
  var settings = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function pct(x) { return x == null ? '–' : (x * 100).toFixed(1) + ' %'; }
  function sigma(x) { return x == null ? '–' : x.toFixed(3); }
  function gib(kib) { return (kib / GIB).toFixed(kib < 10 * GIB ? 1 : 0) + ' GiB'; }
  function time(ms) { return ms ? new Date(ms).toLocaleTimeString() : '–'; }

  function getJson(path) {
    return fetch(path, { cache: 'no-store' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { throw new Error(path + ': HTTP ' + r.status + (body.message ? ' – ' + body.message : '')); }
        return body;
      });
    });
  }

  function clusterPath(id, view) { return 'clusters/' + encodeURIComponent(id) + '/' + view; }

  function replace(container, children) {
    while (container.firstChild) { container.removeChild(container.firstChild); }
    children.forEach(function (c) { container.appendChild(c); });
  }

  function drawPicker(clusters) {
    var picker = $('cluster');
    var ids = clusters.map(function (c) { return c.cluster; });
    if (!selected || ids.indexOf(selected) < 0) { selected = ids.length ? ids[0] : null; }
    var current = Array.prototype.map.call(picker.options, function (o) { return o.value; });
    if (current.join('\n') !== ids.join('\n')) {
      replace(picker, clusters.map(function (c) {
        return el('option', { value: c.cluster, text: c.cluster + ' (' + c.hosts + ' hosts, ' + c.vms + ' VMs)' });
      }));
    }
    if (selected) { picker.value = selected; }
  }

  function drawSummary(summary, hosts, recs) {
    function card(label, value, id) {
      return el('div', { 'class': 'card', id: id }, [el('div', { 'class': 'value', text: value }),
        el('div', { 'class': 'label', text: label })]);
    }
    replace($('summary'), [
      card('imbalance σ now', sigma(hosts.imbalance), 'card-sigma'),
      card('target σ', sigma(hosts.targetImbalance), 'card-target'),
      card('hosts (active)', summary.hosts + ' (' + summary.activeHosts + ')', 'card-hosts'),
      card('VMs', String(summary.vms), 'card-vms'),
      card('VMs with unusable stats', String(summary.unusableVms), 'card-unusable'),
      card('live recommendations', String(recs.recommendations.length), 'card-recommendations'),
      card('round', summary.round + ' at ' + time(summary.lastRoundMillis), 'card-round')
    ]);
  }

  function drawHosts(view) {
    $('watermark-note').textContent = 'red line: high watermark ' + pct(view.highWatermark);
    if (!view.hosts.length) { replace($('hosts'), [el('p', { 'class': 'empty', text: 'no hosts yet' })]); return; }
    var scale = Math.max(1, view.highWatermark * 1.1);
    view.hosts.forEach(function (h) { scale = Math.max(scale, h.load); });
    replace($('hosts'), view.hosts.map(function (h) {
      var fillClass = 'fill' + (h.state !== 'ACTIVE' ? ' stale' : h.aboveHighWatermark ? ' hot' : '');
      var track = el('div', { 'class': 'track', title: pct(h.load) }, [
        el('div', { 'class': fillClass, style: 'width:' + Math.min(100, h.load / scale * 100).toFixed(2) + '%' }),
        el('div', { 'class': 'watermark', style: 'left:' + (view.highWatermark / scale * 100).toFixed(2) + '%',
          title: 'high watermark ' + pct(view.highWatermark) })
      ]);
      var name = el('div', { 'class': 'name', title: h.host, text: h.host }, [
        h.state !== 'ACTIVE' ? el('span', { 'class': 'badge ' + h.state, text: h.state }) : null]);
      var detail = el('div', { 'class': 'detail',
        text: pct(h.load) + ' of ' + gib(h.capacityKiB) + ' · ' + h.vmCount + ' VMs' +
          (h.vmsWithUntrustedStats ? ' (' + h.vmsWithUntrustedStats + ' unusable stats)' : '') });
      return el('div', { 'class': 'host', 'data-host': h.host, 'data-state': h.state }, [name, track, detail]);
    }));
  }

  function drawHistory(view) {
    var points = view.points;
    $('history-note').textContent = points.length ? points.length + ' rounds, last ' + time(view.lastRoundMillis) : '';
    if (!points.length) { replace($('history'), [el('p', { 'class': 'empty', text: 'no round yet' })]); return; }
    var w = 800, h = 180, left = 44, right = 10, top = 10, bottom = 22;
    var max = view.targetImbalance || 0;
    points.forEach(function (p) { max = Math.max(max, p.imbalanceBefore, p.imbalanceAfter); });
    max = max > 0 ? max * 1.15 : 0.1;
    var t0 = points[0].timeMillis, t1 = points[points.length - 1].timeMillis;
    function x(i, p) { return left + (t1 > t0 ? (p.timeMillis - t0) / (t1 - t0) : i / Math.max(1, points.length - 1)) * (w - left - right); }
    function y(v) { return top + (1 - v / max) * (h - top - bottom); }
    var chart = svg('svg', { viewBox: '0 0 ' + w + ' ' + h, preserveAspectRatio: 'none', role: 'img',
      'aria-label': 'imbalance over rounds' });
    chart.appendChild(svg('line', { 'class': 'axis', x1: left, y1: y(0), x2: w - right, y2: y(0) }));
    chart.appendChild(svg('line', { 'class': 'axis', x1: left, y1: top, x2: left, y2: y(0) }));
    [0, max / 2, max].forEach(function (v) {
      var label = svg('text', { x: 4, y: y(v) + 4 });
      label.textContent = v.toFixed(3);
      chart.appendChild(label);
    });
    if (view.targetImbalance != null && view.targetImbalance < max) {
      chart.appendChild(svg('line', { 'class': 'target', x1: left, x2: w - right, y1: y(view.targetImbalance), y2: y(view.targetImbalance) }));
    }
    chart.appendChild(svg('polyline', { 'class': 'after',
      points: points.map(function (p, i) { return x(i, p).toFixed(1) + ',' + y(p.imbalanceAfter).toFixed(1); }).join(' ') }));
    chart.appendChild(svg('polyline', { 'class': 'sigma',
      points: points.map(function (p, i) { return x(i, p).toFixed(1) + ',' + y(p.imbalanceBefore).toFixed(1); }).join(' ') }));
    var from = svg('text', { x: left, y: h - 6 });
    from.textContent = time(t0);
    var to = svg('text', { x: w - right, y: h - 6, 'text-anchor': 'end' });
    to.textContent = time(t1);
    chart.appendChild(from);
    chart.appendChild(to);
    var last = points[points.length - 1];
    var legend = el('div', { 'class': 'legend' }, [
      el('span', { text: '— σ at each round (now ' + sigma(last.imbalanceBefore) + ')' }),
      el('span', { text: '- - σ if the round\u2019s moves are executed' }),
      view.targetImbalance != null ? el('span', { text: '- - target ' + sigma(view.targetImbalance) }) : null
    ]);
    replace($('history'), [chart, legend]);
  }

  function drawRecommendations(view) {
    var recs = view.recommendations;
    $('recommendations-empty').style.display = recs.length ? 'none' : '';
    $('recommendations-note').textContent = recs.length ? recs.length + ' not yet expired' : '';
    replace($('recommendations'), recs.map(function (r) {
      var alternatives = (r.rejectedAlternatives || []).map(function (a) {
        return el('li', { text: a.vmUuid + (a.targetHost ? ' → ' + a.targetHost : '') + ': ' + a.reason });
      });
      var t = r.trigger || {};
      return el('li', { 'class': 'recommendation priority-' + r.priority, 'data-id': r.id }, [
        el('div', { 'class': 'move', text: r.vmName + ': ' + r.sourceHost + ' → ' + r.targetHost +
          ' · priority ' + r.priority + ' · ' + r.reason + ' · ' + r.confidence + ' confidence' }),
        el('div', { 'class': 'explanation', text: r.explanation }),
        el('div', { 'class': 'numbers', text: 'source ' + pct(r.sourceLoadBefore) + ' → ' + pct(r.sourceLoadAfter) +
          ', target ' + pct(r.targetLoadBefore) + ' → ' + pct(r.targetLoadAfter) + ', σ ' + sigma(r.imbalanceBefore) +
          ' → ' + sigma(r.imbalanceAfter) + ', moves ' + gib(r.demandKiB) + ' demand, copies ' + gib(r.sizeKiB) }),
        el('div', { 'class': 'meta', text: 'trigger: ' + t.metric + ' ' + (t.value != null ? t.value.toFixed(3) : '–') +
          ' > ' + (t.threshold != null ? t.threshold.toFixed(3) : '–') + ' for ' + t.sustainedSeconds + ' s · id ' + r.id +
          ' · expires ' + time(r.expiresAtMillis) + ' · policy ' + r.policyVersion }),
        alternatives.length ? el('details', {}, [el('summary', { text: alternatives.length + ' rejected alternatives' }),
          el('ul', {}, alternatives)]) : null
      ]);
    }));
  }

  function drawUnusable(view) {
    var rows = view.vms.filter(function (v) { return !v.usable; });
    $('unusable-empty').style.display = rows.length ? 'none' : '';
    $('unusable').style.display = rows.length ? '' : 'none';
    $('unusable-note').textContent = rows.length ? rows.length + ' of ' + view.vms.length + ' VMs' : '';
    replace($('unusable').tBodies[0], rows.map(function (v) {
      return el('tr', { 'class': 'vm', 'data-vm': v.uuid }, [
        el('td', { text: v.name }), el('td', { text: v.host }), el('td', { 'class': 'health', text: v.health }),
        el('td', { text: gib(v.demandKiB) }), el('td', { 'class': 'hint', text: v.hint })
      ]);
    }));
  }

  var MIGRATION_ROWS = 20;

  function seconds(ms) { return ms == null ? '–' : (ms / 1000).toFixed(ms < 100000 ? 1 : 0) + ' s'; }
  function mib(bytes) { return bytes == null ? '–' : (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + ' MiB'; }
  function ratio(x) { return x == null ? '' : ' (×' + x.toFixed(2) + ')'; }

  function drawMigrations(view) {
    var rows = view.migrations.slice(0, MIGRATION_ROWS);
    $('migrations-empty').style.display = rows.length ? 'none' : '';
    $('migrations').style.display = rows.length ? '' : 'none';
    $('migrations-note').textContent = view.migrations.length ? view.succeeded + ' succeeded, ' + view.failed +
      ' failed' + (view.migrations.length > rows.length ? ', newest ' + rows.length + ' shown' : '') : '';
    $('pairs').textContent = view.pairs.map(function (p) {
      return p.source + ' → ' + p.target + ': ' + p.mibPerSecond.toFixed(0) + ' MiB/s, ' +
        p.bytesSentPerByte.toFixed(2) + ' bytes sent per byte (' + p.measured + ' measured)';
    }).join(' · ');
    replace($('migrations').tBodies[0], rows.map(function (m) {
      return el('tr', { 'class': 'migration ' + m.status, 'data-recommendation': m.recommendationId }, [
        el('td', { text: time(m.finishedAtMillis) }), el('td', { text: m.vmName }),
        el('td', { text: m.source + ' → ' + m.target }), el('td', { 'class': 'status', text: m.status }),
        el('td', { 'class': 'duration', text: seconds(m.predictedDurationMillis) + ' → ' + seconds(m.durationMillis) +
          ratio(m.durationRatio) }),
        el('td', { 'class': 'bytes', text: mib(m.predictedBytes) + ' → ' + mib(m.transferredBytes) + ratio(m.bytesRatio) }),
        el('td', { text: seconds(m.downtimeMillis) }), el('td', { text: m.memoryIterations == null ? '–' : String(m.memoryIterations) }),
        el('td', { 'class': 'error', text: m.error || '' })
      ]);
    }));
  }

  function setStatus(text, error) {
    var status = $('status');
    status.textContent = text;
    status.className = error ? 'status error' : 'status';
  }

  function drawPlan(view) {
    var later = view.waves.filter(function (w) { return w.wave > 1; });
    $('plan-note').textContent = view.waves.length ? 'round ' + view.round + ': ' + view.moves + ' moves in ' +
      view.waves.length + (view.waves.length === 1 ? ' wave, ' : ' waves, ') + gib(view.bytesToCopyKiB) +
      ' to copy, σ → ' + view.imbalanceAfter.toFixed(3) : '';
    $('plan-empty').style.display = later.length ? 'none' : '';
    replace($('plan'), later.map(function (w) {
      var moves = w.moves.map(function (m) {
        return el('li', { text: m.vmName + ' ' + m.source + ' → ' + m.target + ' (' + m.reason.toLowerCase()
          .replace(/_/g, ' ') + ', ' + gib(m.sizeKiB) + ')' });
      });
      return el('li', { 'class': 'wave', 'data-wave': String(w.wave) }, [
        el('strong', { text: 'wave ' + w.wave + ': ' + w.moves.length + ' moves, ' + gib(w.bytesToCopyKiB) +
          ', σ after ' + w.imbalanceAfter.toFixed(3) }),
        el('ul', {}, moves)]);
    }));
  }

  function refresh() {
    var settingsReady = settings ? Promise.resolve(settings) : getJson('config').then(function (s) { settings = s; return s; });
    return settingsReady.then(function () { return getJson('clusters'); }).then(function (list) {
      drawPicker(list.clusters);
      if (!selected) { setStatus('no cluster yet: waiting for samples', false); return null; }
      var id = selected;
      return Promise.all([getJson('clusters/' + encodeURIComponent(id)), getJson(clusterPath(id, 'hosts')),
        getJson(clusterPath(id, 'history')), getJson(clusterPath(id, 'recommendations')), getJson(clusterPath(id, 'vms')),
        getJson(clusterPath(id, 'plan')), getJson(clusterPath(id, 'migrations'))])
        .then(function (r) {
          if (id !== selected) { return; }
          drawSummary(r[0], r[1], r[3]);
          drawHosts(r[1]);
          drawHistory(r[2]);
          drawRecommendations(r[3]);
          drawUnusable(r[4]);
          drawPlan(r[5]);
          drawMigrations(r[6]);
          setStatus('cluster ' + id + ' on ' + r[0].instance + ' · updated ' + new Date().toLocaleTimeString() +
            (list.complete ? '' : ' · some instances did not answer'), !list.complete);
          document.body.setAttribute('data-loaded', id);
        });
    }).catch(function (e) { setStatus(e.message, true); });
  }

  function loop() { refresh().then(function () { setTimeout(loop, REFRESH_MS); }); }

  $('cluster').addEventListener('change', function (e) {
    selected = e.target.value;
    location.hash = encodeURIComponent(selected);
    refresh();
  });
  loop();
}());
