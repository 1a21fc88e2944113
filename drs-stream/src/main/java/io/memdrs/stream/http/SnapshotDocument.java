package io.memdrs.stream.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memdrs.engine.Host;
import io.memdrs.engine.HostState;
import io.memdrs.engine.Rule;
import io.memdrs.engine.Snapshot;
import io.memdrs.engine.Vm;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /clusters/{id}/snapshot}: the cluster as the DESIGN §4 what-if snapshot, ready for
 * {@code memdrs stream what-if --snapshot FILE}:
 * <pre>
 * {"cluster": "c1",
 *  "hosts": [{"name", "memoryKiB", "reservedKiB", "maintenance"}],
 *  "vms":   [{"uuid", "name", "host", "demandKiB", "sizeKiB", "confidence", "movable"}],
 *  "rules": [{"type", "vms", "hosts" (VM–host rules only), "must"}]}
 * </pre>
 * A live model holds things a what-if file may not (the what-if command refuses them): hosts not heard from are
 * left out with their VMs (a round never moves their VMs nor targets them, so the plan is the same), and rule
 * members that are not in the snapshot are dropped, as are rules left with too few members. VMs with a live
 * recommendation or an operator's do-not-move are {@code "movable": false}.
 */
final class SnapshotDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SnapshotDocument() {}

    static ObjectNode of(Snapshot snapshot) {
        ObjectNode doc = NODES.objectNode();
        doc.put("cluster", snapshot.cluster());
        Set<String> hostNames = new HashSet<>();
        ArrayNode hosts = doc.putArray("hosts");
        for (Host h : snapshot.hosts()) {
            if (h.state() != HostState.ACTIVE || h.memoryKiB() <= 0) {
                continue;
            }
            hostNames.add(h.name());
            hosts.addObject().put("name", h.name()).put("memoryKiB", h.memoryKiB())
                    .put("reservedKiB", h.reservedKiB()).put("maintenance", h.maintenance());
        }
        Set<String> uuids = new HashSet<>();
        ArrayNode vms = doc.putArray("vms");
        for (Vm vm : snapshot.vms()) {
            if (!hostNames.contains(vm.host()) || !uuids.add(vm.uuid())) {
                continue;
            }
            vms.addObject().put("uuid", vm.uuid()).put("name", vm.name()).put("host", vm.host())
                    .put("demandKiB", vm.demandKiB()).put("sizeKiB", vm.sizeKiB())
                    .put("confidence", vm.confidence().name()).put("movable", vm.movable());
        }
        ArrayNode rules = doc.putArray("rules");
        for (Rule rule : snapshot.rules()) {
            List<String> members = new LinkedHashSet<>(rule.vms()).stream().filter(uuids::contains).toList();
            List<String> ruleHosts = new LinkedHashSet<>(rule.hosts()).stream().filter(hostNames::contains).toList();
            boolean betweenVms = rule.type().betweenVms();
            if (betweenVms ? members.size() < 2 : members.isEmpty() || ruleHosts.isEmpty()) {
                continue;
            }
            ObjectNode node = rules.addObject().put("type", rule.type().name());
            members.forEach(node.putArray("vms")::add);
            if (!betweenVms) {
                ruleHosts.forEach(node.putArray("hosts")::add);
            }
            node.put("must", rule.must());
        }
        return doc;
    }
}
