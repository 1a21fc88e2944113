package io.memdrs.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.config.ConfigException;
import io.memdrs.config.ConfigSource;
import io.memdrs.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The collector's configuration: defaults, validation naming the key, environment overrides, masked secrets. */
class CollectorConfigTest {
    private static final Map<String, String> MINIMAL = Map.of("collector.cluster", "az1",
            "kafka.bootstrap.servers", "broker-1:9092");

    @TempDir
    Path dir;

    private static CollectorConfig with(String key, String value) {
        Map<String, String> values = new HashMap<>(MINIMAL);
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        return CollectorConfig.from(ConfigSource.of(values));
    }

    @Test
    void shouldApplyTheDocumentedDefaults() {
        CollectorConfig config = CollectorConfig.from(ConfigSource.of(MINIMAL));

        assertEquals("az1", config.cluster());
        assertEquals(Optional.empty(), config.host(), "libvirt's hostname");
        assertEquals("qemu:///system", config.libvirtUri());
        assertTrue(config.readOnly(), "read-only unless remediation is on");
        assertEquals(Duration.ofSeconds(10), config.pollInterval());
        assertEquals(Duration.ofSeconds(5), config.callTimeout());
        assertEquals(0, config.reservedKiB());
        assertEquals(Duration.ofMinutes(10), config.outageTolerance());
        assertEquals(200_000, config.bufferRecords());
        assertEquals("127.0.0.1", config.metricsBind());
        assertEquals(9464, config.metricsPort());
        assertEquals(0, config.remediatePeriodSeconds());
        assertEquals(Topics.VM_SAMPLES, config.vmTopic());
        assertEquals(Topics.HOST_SAMPLES, config.hostTopic());
        assertEquals(Map.of("bootstrap.servers", "broker-1:9092"), config.kafka());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(nullValues = "MISSING", value = {
        "collector.cluster, MISSING",
        "collector.cluster, 'az 1'",
        "kafka.bootstrap.servers, MISSING",
        "collector.poll.interval, soon",
        "collector.poll.interval, 50ms",
        "collector.poll.interval, 2h",
        "collector.libvirt.call-timeout, -1s",
        "collector.host.reserved-kib, -1",
        "collector.host.reserved-kib, 1GiB",
        "collector.kafka.outage-tolerance, 0s",
        "collector.buffer.max-records, 10",
        "collector.metrics.port, 70000",
        "collector.remediate.stats-period, -5",
        "collector.remediate.stats-period, 86401",
        "collector.pol.interval, 10s",
    })
    void shouldRefuseABadValueNamingItsKey(String key, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> with(key, value));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    }

    @Test
    void shouldOpenLibvirtReadWriteOnlyWhenRemediationIsOn() {
        CollectorConfig config = with("collector.remediate.stats-period", "10");
        assertFalse(config.readOnly());
        assertEquals(10, config.remediatePeriodSeconds());
    }

    @Test
    void shouldLetEnvironmentVariablesOverrideTheFile() throws IOException {
        Path file = dir.resolve("collector.properties");
        Files.writeString(file, """
                collector.cluster=az1
                collector.poll.interval=10s
                collector.buffer.max-records=1000
                kafka.bootstrap.servers=broker-1:9092
                """);
        Map<String, String> env = Map.of(
                "MEMDRS_COLLECTOR_POLL_INTERVAL", "30s",
                "MEMDRS_COLLECTOR_BUFFER_MAX_RECORDS", "5000",
                "MEMDRS_COLLECTOR_HOST_RESERVED_KIB", "8388608",
                "MEMDRS_KAFKA_BOOTSTRAP_SERVERS", "broker-2:9093",
                "MEMDRS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "PATH", "/usr/bin");

        CollectorConfig config = CollectorConfig.from(ConfigSource.load(file, env, "collector.", "kafka."));

        assertEquals(Duration.ofSeconds(30), config.pollInterval());
        assertEquals(5000, config.bufferRecords(), "a dashed key the file sets");
        assertEquals(8_388_608, config.reservedKiB(), "a dashed key only the environment sets");
        assertEquals("broker-2:9093", config.kafka().get("bootstrap.servers"));
        assertEquals("SCRAM-SHA-512", config.kafka().get("sasl.mechanism"));
        assertEquals("az1", config.cluster(), "what no variable overrides stays");
    }

    @Test
    void shouldNameTheKeyOfABadEnvironmentOverride() {
        ConfigException e = assertThrows(ConfigException.class, () -> CollectorConfig.from(
                ConfigSource.load(null, Map.of("MEMDRS_COLLECTOR_CLUSTER", "az1",
                        "MEMDRS_KAFKA_BOOTSTRAP_SERVERS", "b:9092", "MEMDRS_COLLECTOR_METRICS_PORT", "http"),
                        "collector.", "kafka.")));
        assertEquals("collector.metrics.port", e.key());
    }

    @Test
    void shouldMaskSecretsWhenPrinted() {
        Map<String, String> values = new HashMap<>(MINIMAL);
        values.put("kafka.security.protocol", "SASL_SSL");
        values.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"memdrs\" password=\"s3cr3t-jaas\";");
        values.put("kafka.ssl.keystore.password", "s3cr3t-keystore");
        values.put("kafka.ssl.key.password", "s3cr3t-key");

        String printed = CollectorConfig.from(ConfigSource.of(values)).toString();

        assertFalse(printed.contains("s3cr3t"), printed);
        assertTrue(printed.contains("sasl.jaas.config=********"), printed);
        assertTrue(printed.contains("security.protocol=SASL_SSL"), "non-secrets stay readable: " + printed);
        assertTrue(printed.contains("broker-1:9092"), printed);
    }
}
