package io.memdrs.collector.metrics;

import io.memdrs.avro.StatsHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The collector's Prometheus metrics: poll duration and errors, VMs per stats health, samples sent and lost,
 * buffer use, libvirt connection state, last successful poll, build info.
 */
public final class CollectorMetrics {
    private final MeterRegistry registry;
    private final Timer pollDuration;
    private final Map<StatsHealth, AtomicLong> vmsByHealth = new EnumMap<>(StatsHealth.class);
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final AtomicLong libvirtUp = new AtomicLong();
    private final AtomicLong outageSinceMillis = new AtomicLong();
    private final Counter connectionsLost;
    private final Counter connectFailures;
    private final Timer outages;
    private final AtomicLong samplesSent = new AtomicLong();
    private final AtomicLong samplesLost = new AtomicLong();

    public CollectorMetrics(MeterRegistry registry, String version) {
        this.registry = registry;
        this.pollDuration = Timer.builder("memdrs.collector.poll.duration")
                .description("Wall time of one poll of libvirt (read, map, enqueue)")
                .publishPercentileHistogram(false)
                .register(registry);
        for (StatsHealth health : StatsHealth.values()) {
            AtomicLong count = new AtomicLong();
            vmsByHealth.put(health, count);
            Gauge.builder("memdrs.collector.vms", count, AtomicLong::get)
                    .description("VMs seen in the last poll, by balloon statistics health")
                    .tag("health", health.name()).register(registry);
        }
        Gauge.builder("memdrs.collector.last.successful.poll", lastSuccessEpochSeconds, AtomicLong::get)
                .description("Epoch seconds of the last poll that read libvirt successfully").baseUnit("seconds")
                .register(registry);
        Gauge.builder("memdrs.collector.libvirt.up", libvirtUp, AtomicLong::get)
                .description("1 while the libvirt connection works, 0 during an outage").register(registry);
        Gauge.builder("memdrs.collector.libvirt.outage.seconds", outageSinceMillis, CollectorMetrics::secondsSince)
                .description("How long the current libvirt outage has lasted; 0 while connected").baseUnit("seconds")
                .register(registry);
        connectionsLost = Counter.builder("memdrs.collector.libvirt.connections.lost")
                .description("Open libvirt connections that broke (libvirtd restarted, stopped or hung)")
                .register(registry);
        connectFailures = Counter.builder("memdrs.collector.libvirt.connect.failures")
                .description("Attempts to open a libvirt connection that failed").register(registry);
        outages = Timer.builder("memdrs.collector.libvirt.outages")
                .description("libvirt outages that ended with a reconnection, and how long each lasted")
                .register(registry);
        Gauge.builder("memdrs.collector.build.info", () -> 1).tag("version", version)
                .description("Version of the collector").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void pollSucceeded(Duration took, Map<StatsHealth, Integer> healthCounts, long epochSeconds) {
        pollDuration.record(took);
        vmsByHealth.forEach((health, count) -> count.set(healthCounts.getOrDefault(health, 0)));
        lastSuccessEpochSeconds.set(epochSeconds);
        libvirtUp.set(1);
    }

    public void pollFailed(String reason) {
        Counter.builder("memdrs.collector.poll.errors").description("Polls that failed, by reason")
                .tag("reason", reason).register(registry).increment();
        libvirtUp.set(0);
    }

    /** The open libvirt connection broke. */
    public void libvirtConnectionLost() {
        connectionsLost.increment();
        outageGoesOn();
    }

    /** An attempt to open a libvirt connection failed. */
    public void libvirtConnectFailed() {
        connectFailures.increment();
        outageGoesOn();
    }

    /** libvirt is down: from now, unless an outage is already being timed. */
    private void outageGoesOn() {
        outageSinceMillis.compareAndSet(0, System.currentTimeMillis());
        libvirtUp.set(0);
    }

    /** A libvirt connection is open again after an outage of {@code outage}. */
    public void libvirtRestored(Duration outage) {
        outages.record(outage);
        outageSinceMillis.set(0);
        libvirtUp.set(1);
    }

    private static double secondsSince(AtomicLong sinceMillis) {
        long since = sinceMillis.get();
        return since == 0 ? 0 : Math.max(0, System.currentTimeMillis() - since) / 1000.0;
    }

    public void domainVanished() {
        Counter.builder("memdrs.collector.domains.vanished")
                .description("Domains that disappeared between listing and reading (skipped)").register(registry).increment();
    }

    public void remediated() {
        Counter.builder("memdrs.collector.remediations").description("Stats periods set on balloons that had none")
                .register(registry).increment();
    }

    public void sampleSent(String topic) {
        samplesSent.incrementAndGet();
        Counter.builder("memdrs.collector.samples.sent").description("Samples acknowledged by Kafka")
                .tag("topic", topic).register(registry).increment();
    }

    public void sampleLost(String reason) {
        samplesLost.incrementAndGet();
        Counter.builder("memdrs.collector.samples.lost").description("Samples that could not be delivered, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public long samplesSent() {
        return samplesSent.get();
    }

    public long samplesLost() {
        return samplesLost.get();
    }

    public void bufferGauge(Supplier<Number> pending, int capacity, Supplier<Number> inFlight) {
        Gauge.builder("memdrs.collector.buffer.records", pending).description("Samples waiting for the sender")
                .register(registry);
        Gauge.builder("memdrs.collector.buffer.capacity", () -> capacity).description("Capacity of the sample buffer")
                .register(registry);
        Gauge.builder("memdrs.collector.inflight.records", inFlight)
                .description("Samples handed to the producer and not yet acknowledged").register(registry);
    }
}
