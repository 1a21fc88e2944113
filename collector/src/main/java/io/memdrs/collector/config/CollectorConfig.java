package io.memdrs.collector.config;

import io.memdrs.config.ConfigException;
import io.memdrs.config.ConfigSource;
import io.memdrs.config.Redaction;
import io.memdrs.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The collector's whole configuration, validated once at start. Keys under {@code collector.} are ours; keys under
 * {@code kafka.} go to the Kafka producer unchanged (TLS and SASL included). Secrets are masked in {@link #toString()}.
 *
 * @param cluster collector.cluster: the cluster id every sample is keyed by (required)
 * @param host collector.host: the host name in samples; empty means libvirt's hostname
 * @param libvirtUri collector.libvirt.uri
 * @param callTimeout collector.libvirt.call-timeout: deadline of each libvirt call
 * @param pollInterval collector.poll.interval
 * @param reservedKiB collector.host.reserved-kib: memory kept for the host itself
 * @param outageTolerance collector.kafka.outage-tolerance: how long samples wait for Kafka before they are counted lost
 * @param bufferRecords collector.buffer.max-records: samples held while Kafka is slow or away
 * @param metricsBind collector.metrics.bind: address of the Prometheus endpoint
 * @param metricsPort collector.metrics.port: its port; 0 disables it
 * @param perVmMetrics collector.metrics.per-vm: whether {@code /metrics} has a series set per VM (Ceilometer's
 *                     {@code ceilometer_memory_usage} and memdrs' {@code memdrs_vm_*}); on by default
 * @param remediatePeriodSeconds collector.remediate.stats-period: if above 0, give balloons without a period this one
 * @param dirtyRateInterval collector.dirty-rate.interval: if above 0, how often each running VM's memory dirty rate is
 *                          measured (virDomainStartDirtyRateCalc, QEMU's page sampling over one second); needs a
 *                          read-write connection, like remediation
 * @param vmTopic collector.topic.vm-samples
 * @param hostTopic collector.topic.host-samples
 * @param kafka the Kafka producer properties ({@code kafka.} prefix removed)
 */
public record CollectorConfig(String cluster, Optional<String> host, String libvirtUri, Duration callTimeout,
                              Duration pollInterval, long reservedKiB, Duration outageTolerance, int bufferRecords,
                              String metricsBind, int metricsPort, boolean perVmMetrics, int remediatePeriodSeconds,
                              Duration dirtyRateInterval, String vmTopic,
                              String hostTopic, Map<String, String> kafka) {

    static final Set<String> KEYS = Set.of("collector.cluster", "collector.host", "collector.libvirt.uri",
            "collector.libvirt.call-timeout", "collector.poll.interval", "collector.host.reserved-kib",
            "collector.kafka.outage-tolerance", "collector.buffer.max-records", "collector.metrics.bind",
            "collector.metrics.port", "collector.metrics.per-vm", "collector.remediate.stats-period", "collector.dirty-rate.interval", "collector.topic.vm-samples",
            "collector.topic.host-samples");

    public CollectorConfig {
        kafka = Map.copyOf(kafka);
    }

    /** Reads and validates; throws {@link ConfigException} naming the first bad key. */
    public static CollectorConfig from(ConfigSource configured) {
        ConfigSource source = configured.canonical("collector.", KEYS);
        for (String key : source.keys()) {
            if (key.startsWith("collector.") && !KEYS.contains(key)) {
                throw new ConfigException(key, "unknown key; known collector keys: " + new java.util.TreeSet<>(KEYS));
            }
        }
        String cluster = source.require("collector.cluster");
        if (!cluster.matches("[A-Za-z0-9._:-]{1,200}")) {
            throw new ConfigException("collector.cluster", "'" + cluster + "' must be letters, digits, '.', '_', ':' or '-'");
        }
        Map<String, String> kafka = source.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("kafka.bootstrap.servers", "is required (host:port of at least one broker)");
        }
        Duration poll = source.duration("collector.poll.interval", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofHours(1));
        Duration callTimeout = source.duration("collector.libvirt.call-timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5));
        return new CollectorConfig(
                cluster,
                source.get("collector.host"),
                source.string("collector.libvirt.uri", "qemu:///system"),
                callTimeout,
                poll,
                source.longValue("collector.host.reserved-kib", 0, 0, Long.MAX_VALUE / 2),
                source.duration("collector.kafka.outage-tolerance", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(7)),
                source.integer("collector.buffer.max-records", 200_000, 100, 100_000_000),
                source.string("collector.metrics.bind", "127.0.0.1"),
                source.integer("collector.metrics.port", 9464, 0, 65535),
                source.bool("collector.metrics.per-vm", true),
                source.integer("collector.remediate.stats-period", 0, 0, 86_400),
                source.duration("collector.dirty-rate.interval", Duration.ZERO, Duration.ZERO, Duration.ofDays(1)),
                source.string("collector.topic.vm-samples", Topics.VM_SAMPLES),
                source.string("collector.topic.host-samples", Topics.HOST_SAMPLES),
                kafka);
    }


    /** Remediation and dirty-rate measurement need a read-write connection; everything else reads. */
    public boolean readOnly() {
        return remediatePeriodSeconds == 0 && dirtyRateInterval.isZero();
    }

    @Override
    public String toString() {
        return "CollectorConfig[cluster=" + cluster + ", host=" + host.orElse("(libvirt hostname)")
                + ", libvirtUri=" + libvirtUri + (readOnly() ? " (read-only)" : " (read-write)")
                + ", pollInterval=" + pollInterval + ", callTimeout=" + callTimeout + ", reservedKiB=" + reservedKiB
                + ", outageTolerance=" + outageTolerance + ", bufferRecords=" + bufferRecords
                + ", metrics=" + (metricsPort == 0 ? "off" : metricsBind + ":" + metricsPort
                        + (perVmMetrics ? " with per-VM series" : " without per-VM series"))
                + ", remediateStatsPeriod=" + (remediatePeriodSeconds == 0 ? "off" : remediatePeriodSeconds + "s")
                + ", dirtyRate=" + (dirtyRateInterval.isZero() ? "off" : "every " + dirtyRateInterval)
                + ", topics=" + vmTopic + "," + hostTopic + ", kafka=" + Redaction.mask(kafka) + "]";
    }
}
