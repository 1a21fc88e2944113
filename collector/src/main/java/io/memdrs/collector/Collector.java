package io.memdrs.collector;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.instance.NovaInstance;
import io.memdrs.collector.host.HostSampleMapper;
import io.memdrs.collector.dirtyrate.DirtyRates;
import io.memdrs.collector.libvirt.DirtyRateCalls;
import io.memdrs.collector.libvirt.LibvirtConnector;
import io.memdrs.collector.libvirt.LibvirtReader;
import io.memdrs.collector.libvirt.LibvirtSession;
import io.memdrs.collector.libvirt.LibvirtUnavailableException;
import io.memdrs.collector.libvirt.StatsPeriodRemediator;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.VmSampleMapper;
import io.memdrs.collector.publish.SamplePublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-node daemon: every poll interval, one poll at a time, read libvirt, turn each running domain into a
 * {@link VmMemorySample} and the node into a {@link HostMemorySample}, and hand them to the publisher. On a libvirt
 * failure the poll is counted and skipped (the last good samples stay in Kafka) and the connection is re-opened with
 * backoff, the wait capped at one poll interval. A reconnection attempt due before the next scheduled poll is made
 * on its own, and a poll follows it at once: polling resumes at most one poll interval after libvirtd is back.
 */
public final class Collector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    /**
     * What one poll produced.
     *
     * @param nova nova's instance metadata of the VMs that have it, by VM UUID
     */
    public record PollReport(Instant time, HostMemorySample host, List<VmMemorySample> vms,
                             Map<String, NovaInstance> nova, Duration took, int vanished, List<String> remediated) {
        public Map<StatsHealth, Integer> healthCounts() {
            Map<StatsHealth, Integer> counts = new EnumMap<>(StatsHealth.class);
            vms.forEach(vm -> counts.merge(vm.getHealth(), 1, Integer::sum));
            return counts;
        }
    }

    private final CollectorConfig config;
    private final CollectorMetrics metrics;
    private final SamplePublisher publisher;
    private final LibvirtConnector connector;
    private final Clock clock;
    private final Map<String, VmMemorySample> previousByUuid = new HashMap<>();
    private final List<Consumer<PollReport>> pollListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> pollFailureListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> retry;
    private volatile PollReport lastReport;
    private LibvirtReader reader;
    private DirtyRates dirtyRates;

    public Collector(CollectorConfig config, CollectorMetrics metrics, SamplePublisher publisher, Clock clock) {
        this(config, metrics, publisher, clock,
                new LibvirtConnector(config.libvirtUri(), config.readOnly(), config.callTimeout(), clock,
                        config.pollInterval()));
    }

    /** With a given connector, e.g. one the caller also uses (the demo drives test-driver domains through it). */
    public Collector(CollectorConfig config, CollectorMetrics metrics, SamplePublisher publisher, Clock clock,
                     LibvirtConnector connector) {
        this.config = config;
        this.metrics = metrics;
        this.publisher = publisher;
        this.clock = clock;
        this.connector = connector;
        connector.addListener(new LibvirtConnector.Listener() {
            @Override
            public void lost(String uri, String reason, Duration nextAttemptIn) {
                metrics.libvirtConnectionLost();
            }

            @Override
            public void attemptFailed(String uri, int attempt, String reason, Duration nextAttemptIn) {
                metrics.libvirtConnectFailed();
            }

            @Override
            public void restored(String uri, int failedAttempts, Duration outage) {
                metrics.libvirtRestored(outage);
            }
        });
    }

    /** Polls now, publishing what it read; empty when libvirt was unavailable (counted and logged). */
    public synchronized Optional<PollReport> pollOnce() {
        long began = System.nanoTime();
        LibvirtSession session;
        LibvirtReader.Poll poll;
        try {
            session = connector.session();
            boolean newConnection = reader == null || reader.session() != session;
            if (newConnection) {
                reader = new LibvirtReader(session);
                dirtyRates = new DirtyRates(config.dirtyRateInterval());
            }
            poll = reader.read(false);
            if (newConnection) {
                log.info("reading {} (driver {}) with {}", config.libvirtUri(), session.driverType(), poll.bulk()
                        ? "virConnectGetAllDomainStats (state and balloon groups)"
                        : "per-domain calls (the driver has no bulk balloon statistics)");
            }
        } catch (LibvirtUnavailableException e) {
            pollFailureListeners.forEach(Runnable::run);
            connector.invalidate(e.getMessage());
            metrics.pollFailed("libvirt_unavailable");
            log.warn("poll of {} failed: {}", config.libvirtUri(), e.getMessage());
            return Optional.empty();
        }
        Instant now = clock.instant();
        measureDirtyRates(session, poll, now);
        String host = config.host().orElse(poll.host().hostname());
        VmSampleMapper vmMapper = new VmSampleMapper(config.cluster(), host, session.guestClockTrusted());
        List<VmMemorySample> vms = new ArrayList<>(poll.domains().size());
        Map<String, VmMemorySample> seen = new HashMap<>();
        Map<String, NovaInstance> nova = new HashMap<>();
        for (DomainSnapshot domain : poll.domains()) {
            VmMemorySample sample = vmMapper.map(domain, now, previousByUuid.get(domain.uuid()));
            sample.setDirtyRateBytesPerSecond(dirtyRates.rateOf(domain.uuid(), now));
            vms.add(sample);
            if (domain.nova().present()) {
                nova.put(domain.uuid(), domain.nova());
            }
            seen.put(domain.uuid(), sample);
            publisher.publish(sample);
        }
        previousByUuid.clear();
        previousByUuid.putAll(seen);
        HostMemorySample hostSample = new HostSampleMapper(config.cluster(), host, config.reservedKiB(),
                config.pollInterval(), CollectorVersion.get()).map(poll.host(), now);
        publisher.publish(hostSample);
        List<String> remediated = remediate(session, reader, poll.domains());
        for (int i = 0; i < poll.vanishedDomains(); i++) {
            metrics.domainVanished();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        PollReport report = new PollReport(now, hostSample, vms, Map.copyOf(nova), took,
                poll.vanishedDomains(), remediated);
        metrics.pollSucceeded(took, report.healthCounts(), now.getEpochSecond());
        lastReport = report;
        for (Consumer<PollReport> listener : pollListeners) {
            listener.accept(report);
        }
        return Optional.of(report);
    }

    /**
     * With collector.dirty-rate.interval set: when a round is due, takes the finished dirty-rate calculations and
     * starts the next (one second of QEMU's page sampling per VM). A driver without them is asked no more on this
     * connection; a failure only costs this round.
     */
    private void measureDirtyRates(LibvirtSession session, LibvirtReader.Poll poll, Instant now) {
        java.util.Set<String> running = new java.util.HashSet<>();
        poll.domains().forEach(d -> running.add(d.uuid()));
        dirtyRates.retainOnly(running);
        if (!dirtyRates.due(now)) {
            return;
        }
        try {
            DirtyRateCalls.Result result = session.call("dirty rates", c -> DirtyRateCalls.readAndRestart(c, 1));
            dirtyRates.measured(result.bytesPerSecond(), now);
            if (!result.supported()) {
                dirtyRates.unsupported();
                log.info("{} offers no memory dirty-rate calculation ({}); dirty rates stay unknown on this connection",
                        config.libvirtUri(), result.lastError());
            }
        } catch (LibvirtUnavailableException | RuntimeException e) {
            log.warn("measuring dirty rates on {} failed: {}", config.libvirtUri(), e.getMessage());
        }
    }

    /** With collector.remediate.stats-period set: give every running balloon without a period that period. */
    private List<String> remediate(LibvirtSession session, LibvirtReader reader, List<DomainSnapshot> domains) {
        int period = config.remediatePeriodSeconds();
        if (period == 0) {
            return List.of();
        }
        List<String> changed = new ArrayList<>();
        StatsPeriodRemediator remediator = new StatsPeriodRemediator(session);
        for (DomainSnapshot domain : domains) {
            if (domain.balloon().present() && domain.balloon().statsPeriodSeconds() == 0) {
                try {
                    remediator.setLivePeriod(domain.uuid(), period);
                    reader.forgetBalloonConfig(domain.uuid());
                    metrics.remediated();
                    changed.add(domain.name());
                    log.info("set balloon stats period of {} ({}) to {} s", domain.name(), domain.uuid(), period);
                } catch (LibvirtUnavailableException e) {
                    log.warn("could not set the stats period of {}: {}", domain.name(), e.getMessage());
                }
            }
        }
        return changed;
    }

    /** Polls at the configured interval until {@link #close()}. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "memdrs-poller"));
        long periodMs = config.pollInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::scheduledPoll, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    private void scheduledPoll() {
        boolean polled;
        try {
            polled = pollOnce().isPresent();
        } catch (RuntimeException e) {
            metrics.pollFailed("internal_error");
            log.error("poll failed unexpectedly", e);
            return;
        }
        if (!polled) {
            scheduleReconnection();
        }
    }

    /**
     * After a poll failed for want of a connection: when the backoff allows an attempt before the next scheduled
     * poll, poll then. (A poll that failed on an open connection waits for the next tick.)
     */
    private synchronized void scheduleReconnection() {
        if (scheduler == null || connector.connected() || (retry != null && !retry.isDone())) {
            return;
        }
        Duration wait = connector.untilNextAttempt();
        if (wait.compareTo(config.pollInterval()) >= 0) {
            return;
        }
        retry = scheduler.schedule(this::reconnectionPoll, Math.max(1, wait.toNanos()), TimeUnit.NANOSECONDS);
    }

    private void reconnectionPoll() {
        synchronized (this) {
            retry = null;
        }
        scheduledPoll();
    }

    /**
     * Calls {@code listener} on the poller thread after every successful poll, with what the poll read and handed
     * to the publisher. Keep it quick: the next poll waits for it.
     */
    public void addPollListener(Consumer<PollReport> listener) {
        pollListeners.add(listener);
    }

    /** Calls {@code listener} on the poller thread after every poll that could not read libvirt. */
    public void addPollFailureListener(Runnable listener) {
        pollFailureListeners.add(listener);
    }

    /** The last successful poll, if any. */
    public Optional<PollReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    public SamplePublisher publisher() {
        return publisher;
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
        }
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(config.callTimeout().toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        publisher.close();
        connector.close();
    }
}
