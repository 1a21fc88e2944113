package io.memdrs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {
    @TempDir
    Path dir;

    @Test
    void shouldLetAnEnvironmentVariableOverrideTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("a.properties"), "kafka.bootstrap.servers=file:9092\n");
        ConfigSource source = ConfigSource.load(file, Map.of("MEMDRS_KAFKA_BOOTSTRAP_SERVERS", "env:9092"), "kafka.");
        assertEquals(Optional.of("env:9092"), source.get("kafka.bootstrap.servers"));
    }

    @Test
    void shouldMapAnEnvironmentVariableBackToADashedKeyTheFileDoesNotSet() {
        ConfigSource source = ConfigSource.load(null, Map.of("MEMDRS_STREAM_STATE_DIR", "/var/lib/x"), "stream.")
                .canonical("stream.", Set.of("stream.state-dir"));
        assertEquals(Optional.of("/var/lib/x"), source.get("stream.state-dir"));
        assertFalse(source.keys().contains("stream.state.dir"));
    }

    @Test
    void shouldNameTheKeyAndItsVariableWhenARequiredValueIsMissing() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigSource.of(Map.of()).require("collector.cluster"));
        assertEquals("collector.cluster", e.key());
        assertTrue(e.getMessage().contains("MEMDRS_COLLECTOR_CLUSTER"), e.getMessage());
    }

    @Test
    void shouldReadDurationsWithUnitsAndRefuseOthers() {
        ConfigSource source = ConfigSource.of(Map.of("a", "500ms", "b", "5m", "c", "ten"));
        assertEquals(Duration.ofMillis(500), source.duration("a", Duration.ZERO, Duration.ZERO, Duration.ofDays(1)));
        assertEquals(Duration.ofMinutes(5), source.duration("b", Duration.ZERO, Duration.ZERO, Duration.ofDays(1)));
        ConfigException e = assertThrows(ConfigException.class,
                () -> source.duration("c", Duration.ZERO, Duration.ZERO, Duration.ofDays(1)));
        assertEquals("c", e.key());
    }

    @Test
    void shouldNameTheFileThatDoesNotExist() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigSource.load(dir.resolve("missing.properties"), Map.of(), "x."));
        assertTrue(e.getMessage().contains("missing.properties"), e.getMessage());
    }

    @Test
    void shouldMaskSecrets() {
        Map<String, String> masked = Redaction.mask(Map.of("sasl.jaas.config", "secret", "ssl.key.password", "p",
                "bootstrap.servers", "b:9092"));
        assertEquals(Redaction.MASK, masked.get("sasl.jaas.config"));
        assertEquals(Redaction.MASK, masked.get("ssl.key.password"));
        assertEquals("b:9092", masked.get("bootstrap.servers"));
    }
}
