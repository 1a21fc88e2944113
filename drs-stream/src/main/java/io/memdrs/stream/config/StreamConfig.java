package io.memdrs.stream.config;

import io.memdrs.config.ConfigException;
import io.memdrs.config.ConfigSource;
import io.memdrs.config.Redaction;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The stream app's configuration, validated once at start. {@code stream.} keys are ours; {@code kafka.} keys go to
 * every Kafka client (bootstrap servers, TLS, SASL); {@code streams.} keys go to Kafka Streams and win over ours.
 *
 * @param applicationId stream.application-id: the Kafka Streams application id (consumer group, internal topics)
 * @param stateDir stream.state-dir: where the state stores live
 * @param httpBind stream.http.bind: address of the read-only HTTP API
 * @param httpPort stream.http.port: its port; 0 disables it
 * @param kafka client properties ({@code kafka.} removed)
 * @param streams Kafka Streams properties ({@code streams.} removed)
 */
public record StreamConfig(String applicationId, Path stateDir, String httpBind, int httpPort,
                           Map<String, String> kafka, Map<String, String> streams) {
    static final Set<String> KEYS = Set.of("stream.application-id", "stream.state-dir", "stream.http.bind",
            "stream.http.port");

    public StreamConfig {
        kafka = Map.copyOf(kafka);
        streams = Map.copyOf(streams);
    }

    public static StreamConfig from(ConfigSource configured) {
        ConfigSource source = configured.canonical("stream.", KEYS);
        for (String key : source.keys()) {
            if (key.startsWith("stream.") && !KEYS.contains(key)) {
                throw new ConfigException(key, "unknown key; known stream keys: " + new TreeSet<>(KEYS));
            }
        }
        Map<String, String> kafka = source.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("kafka.bootstrap.servers", "is required (host:port of at least one broker)");
        }
        String appId = source.string("stream.application-id", "memdrs-drs");
        if (!appId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new ConfigException("stream.application-id", "'" + appId + "' must be letters, digits, '.', '_' or '-'");
        }
        Map<String, String> streams = source.withPrefix("streams.");
        String guarantee = streams.getOrDefault(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new ConfigException("streams." + StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                    "'" + guarantee + "' must be exactly_once_v2 or at_least_once");
        }
        return new StreamConfig(appId,
                Path.of(source.string("stream.state-dir", "/var/lib/memdrs/stream")),
                source.string("stream.http.bind", "127.0.0.1"),
                source.integer("stream.http.port", 8080, 0, 65535),
                kafka, streams);
    }

    /** Kafka Streams properties: exactly-once v2 and our ids, then the {@code kafka.} and {@code streams.} keys. */
    public Properties streamsProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        // The model's VM, host and cluster state live as objects in memory (io.memdrs.stream.taskstate), not in the
        // record cache; the cache only serves the recommendation and control-event stores.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 8L * 1024 * 1024);
        // Process what is buffered without waiting for the other input topic: the model takes the samples of one
        // poll in either order (VM and host samples are on two topics) and ignores a sample older than it knows.
        // Waiting would also cost a formatted log line per record whenever one topic's partition runs empty.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        if (httpPort > 0) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, httpBind + ":" + httpPort);
        }
        p.putAll(kafka);
        p.putAll(streams);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    @Override
    public String toString() {
        return "StreamConfig[applicationId=" + applicationId + ", stateDir=" + stateDir + ", http="
                + (httpPort == 0 ? "off" : httpBind + ":" + httpPort) + ", kafka=" + Redaction.mask(kafka)
                + ", streams=" + Redaction.mask(streams) + "]";
    }
}
