package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.cli.CollectorCommand;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.config.ConfigSource;
import io.memdrs.config.Redaction;
import io.memdrs.stream.config.StreamConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets given to memdrs (SASL JAAS configs, TLS key and store passwords, OAuth client secrets) never show in a
 * configuration's {@code toString} — which is what the programs log at start — nor anywhere in the log of a
 * collector start. The whole-path test does the same for the collector's jar and the stream app on a SCRAM broker.
 */
@Tag("integration")
class SecretsStayOutOfLogsTest {
    private static final String SASL_PASSWORD = "sasl-" + UUID.randomUUID();
    private static final String KEY_PASSWORD = "key-" + UUID.randomUUID();
    private static final String STORE_PASSWORD = "store-" + UUID.randomUUID();
    private static final String CLIENT_SECRET = "oauth-" + UUID.randomUUID();
    private static final List<String> SECRETS = List.of(SASL_PASSWORD, KEY_PASSWORD, STORE_PASSWORD, CLIENT_SECRET);

    @TempDir
    static Path work;

    /** The {@code kafka.} keys of a TLS + SASL deployment, every secret a distinct random string. */
    private static Map<String, String> kafkaSecurity(String prefix) {
        return Map.of(prefix + "security.protocol", "SASL_SSL", prefix + "sasl.mechanism", "SCRAM-SHA-512",
                prefix + "sasl.jaas.config", ScramKafka.jaas("collector", SASL_PASSWORD),
                prefix + "ssl.key.password", KEY_PASSWORD, prefix + "ssl.keystore.password", STORE_PASSWORD,
                prefix + "ssl.truststore.password", STORE_PASSWORD,
                prefix + "sasl.oauthbearer.client.credentials.client.secret", CLIENT_SECRET);
    }

    @Test
    void shouldMaskEverySecretInTheCollectorConfigToString() {
        Map<String, String> values = new HashMap<>(kafkaSecurity("kafka."));
        values.putAll(Map.of("collector.cluster", "c1", "kafka.bootstrap.servers", "broker:9093"));
        String shown = CollectorConfig.from(ConfigSource.of(values)).toString();
        assertNoSecret("CollectorConfig.toString", shown);
        assertTrue(shown.contains("sasl.jaas.config=" + Redaction.MASK), shown);
        assertTrue(shown.contains("security.protocol=SASL_SSL"), "non-secrets stay readable: " + shown);
    }

    @Test
    void shouldMaskEverySecretInTheStreamConfigToString() {
        Map<String, String> values = new HashMap<>(kafkaSecurity("kafka."));
        values.putAll(kafkaSecurity("streams.producer."));
        values.put("kafka.bootstrap.servers", "broker:9093");
        String shown = StreamConfig.from(ConfigSource.of(values)).toString();
        assertNoSecret("StreamConfig.toString", shown);
        assertTrue(shown.contains("sasl.jaas.config=" + Redaction.MASK), shown);
    }

    @Test
    void shouldLogNoSecretWhileACollectorStarts() throws Exception {
        Map<String, String> values = new HashMap<>(kafkaSecurity("kafka."));
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The start goes as far as it can without a broker: config read and logged, then the metrics port,
            // which is taken, stops it (exit 1) before anything keeps running.
            values.putAll(Map.of("collector.cluster", "c1", "collector.libvirt.uri", "test:///default",
                    "collector.metrics.port", Integer.toString(busy.getLocalPort()),
                    "kafka.bootstrap.servers", "127.0.0.1:1"));
            Path config = PropertiesFile.write(work.resolve("collector.properties"), values);
            Cli.Result result;
            List<String> lines;
            try (LogCapture logs = new LogCapture()) {
                result = Cli.run("memdrs collector", CollectorCommand::commandLine, "run", "--config", config.toString());
                lines = logs.lines();
            }
            long withSecret = lines.stream().filter(l -> SECRETS.stream().anyMatch(l::contains)).count();
            System.out.printf("secrets: injected %d secrets into a collector start; it logged %d lines, %d with a "
                    + "secret, exit %d (%s)%n", SECRETS.size(), lines.size(), withSecret, result.exitCode(),
                    result.err().strip());
            assertTrue(lines.stream().anyMatch(l -> l.contains("starting with")), "the start was logged: " + lines);
            assertEquals(0, withSecret, "log lines with a secret: " + lines);
            assertNoSecret("the collector's stderr", result.err() + result.out());
        }
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), where + " shows a secret: " + text);
        }
        System.out.printf("secrets: %s shows none of %d secrets%n", where, SECRETS.size());
    }
}
