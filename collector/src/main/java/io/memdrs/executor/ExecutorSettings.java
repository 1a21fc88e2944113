package io.memdrs.executor;

import io.memdrs.config.ConfigException;
import io.memdrs.config.ConfigSource;
import io.memdrs.config.Redaction;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The migration service's configuration, validated once at start. Keys under {@code executor.} are ours; keys under
 * {@code kafka.} go to its Kafka clients unchanged (TLS and SASL included).
 *
 * @param name executor.name: who acts, written into every migration event
 * @param dryRun executor.dry-run: say what would be migrated and touch nothing (the default)
 * @param groupId executor.group-id: the consumer group of {@code memdrs.recommendations}
 * @param clusters executor.clusters: comma-separated clusters to act for; empty means every cluster
 * @param uriTemplate executor.libvirt.uri-template: the libvirt URI of a host, {@code {host}} replaced by its name
 * @param uris executor.libvirt.uri.HOST: a host's URI where the template does not fit
 * @param bandwidthMiBps executor.bandwidth-mibps: migration bandwidth cap, MiB/s; 0 leaves libvirt's (unlimited)
 * @param maxDowntime executor.max-downtime: the longest pause of the guest at switch-over libvirt may choose
 * @param autoConverge executor.auto-converge: let QEMU slow a guest that dirties memory faster than it is copied
 * @param maxPerHost executor.max-per-host: migrations at once that involve one host, as source or target
 * @param jobDeadline executor.job-deadline: a migration still running after this is aborted (FAILED)
 * @param maxTargetLoad executor.target.max-load: a move is skipped when the target's latest load plus the VM's
 *                      demand would exceed this fraction of its capacity
 * @param hostLoadMaxAge executor.host-load.max-age: an older latest host load of the target cannot vouch for room
 * @param assumedLinkMiBps executor.predict.link-mibps: the link speed a prediction assumes when no cap is set
 * @param kafka the Kafka client properties ({@code kafka.} prefix removed)
 */
public record ExecutorSettings(String name, boolean dryRun, String groupId, Set<String> clusters, String uriTemplate,
                               Map<String, String> uris, long bandwidthMiBps, Duration maxDowntime,
                               boolean autoConverge, int maxPerHost, Duration jobDeadline, double maxTargetLoad,
                               Duration hostLoadMaxAge, long assumedLinkMiBps, Map<String, String> kafka) {

    static final String URI_PREFIX = "executor.libvirt.uri.";
    static final Set<String> KEYS = Set.of("executor.name", "executor.dry-run", "executor.group-id",
            "executor.clusters", "executor.libvirt.uri-template", "executor.bandwidth-mibps", "executor.max-downtime",
            "executor.auto-converge", "executor.max-per-host", "executor.job-deadline", "executor.target.max-load",
            "executor.host-load.max-age", "executor.predict.link-mibps");

    public ExecutorSettings {
        clusters = Set.copyOf(clusters);
        uris = Map.copyOf(uris);
        kafka = Map.copyOf(kafka);
    }

    /** Reads and validates; throws {@link ConfigException} naming the first bad key. */
    public static ExecutorSettings from(ConfigSource configured) {
        ConfigSource source = configured.canonical("executor.", KEYS);
        Map<String, String> uris = new TreeMap<>();
        for (String key : source.keys()) {
            if (key.startsWith(URI_PREFIX)) {
                String host = key.substring(URI_PREFIX.length());
                if (host.isEmpty()) {
                    throw new ConfigException(key, "names no host (executor.libvirt.uri.HOST=URI)");
                }
                uris.put(host, source.require(key));
            } else if (key.startsWith("executor.") && !KEYS.contains(key)) {
                throw new ConfigException(key, "unknown key; known executor keys: " + new TreeSet<>(KEYS)
                        + " and " + URI_PREFIX + "HOST");
            }
        }
        Map<String, String> kafka = source.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("kafka.bootstrap.servers", "is required (host:port of at least one broker)");
        }
        String template = source.string("executor.libvirt.uri-template", "qemu+tcp://{host}/system");
        if (!template.contains("{host}")) {
            throw new ConfigException("executor.libvirt.uri-template", "'" + template + "' has no {host} in it");
        }
        Set<String> clusters = new TreeSet<>();
        for (String c : source.string("executor.clusters", "").split(",")) {
            if (!c.isBlank()) {
                clusters.add(c.strip());
            }
        }
        return new ExecutorSettings(
                source.string("executor.name", "memdrs-executor@" + localHost()),
                source.bool("executor.dry-run", true),
                source.string("executor.group-id", "memdrs-executor"),
                clusters,
                template,
                uris,
                source.longValue("executor.bandwidth-mibps", 0, 0, 1_000_000),
                source.duration("executor.max-downtime", Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofMinutes(1)),
                source.bool("executor.auto-converge", true),
                source.integer("executor.max-per-host", 1, 1, 64),
                source.duration("executor.job-deadline", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1)),
                source.decimal("executor.target.max-load", 0.90, 0.01, 1.0),
                source.duration("executor.host-load.max-age", Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofDays(1)),
                source.longValue("executor.predict.link-mibps", 1000, 1, 1_000_000),
                kafka);
    }

    /** The libvirt URI of {@code host}. */
    public String uriOf(String host) {
        String uri = uris.get(host);
        return uri != null ? uri : uriTemplate.replace("{host}", host);
    }

    /** Whether this service acts for {@code cluster}. */
    public boolean actsFor(String cluster) {
        return clusters.isEmpty() || clusters.contains(cluster);
    }

    private static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public String toString() {
        return "ExecutorSettings[name=" + name + (dryRun ? ", DRY RUN" : ", migrating") + ", group=" + groupId
                + ", clusters=" + (clusters.isEmpty() ? "all" : clusters) + ", uri=" + uriTemplate
                + (uris.isEmpty() ? "" : " " + uris) + ", bandwidth=" + (bandwidthMiBps == 0 ? "unlimited" : bandwidthMiBps + " MiB/s")
                + ", maxDowntime=" + maxDowntime + ", autoConverge=" + autoConverge + ", maxPerHost=" + maxPerHost
                + ", jobDeadline=" + jobDeadline + ", targetMaxLoad=" + maxTargetLoad + ", hostLoadMaxAge="
                + hostLoadMaxAge + ", kafka=" + Redaction.mask(kafka) + "]";
    }
}
