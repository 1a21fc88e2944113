package io.memdrs.stream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memdrs.config.ConfigSource;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamPropertiesExampleTest {
    private static final Path EXAMPLE = DeployFiles.DEPLOY.resolve("config/stream.properties");

    @Test
    void shouldLoadTheExampleThroughTheStreamAppsOwnConfiguration() {
        ConfigSource source = ConfigSource.load(EXAMPLE, Map.of(), DeployFiles.STREAM_PREFIXES);
        StreamConfig config = StreamConfig.from(source);
        assertEquals("memdrs-drs", config.applicationId());
        assertEquals("127.0.0.1", config.httpBind());
        assertEquals(8080, config.httpPort());
        assertEquals(Path.of("/var/lib/memdrs/stream"), config.stateDir());
        assertEquals("localhost:9092", config.kafka().get("bootstrap.servers"));
        assertEquals(DrsSettings.defaults(), DrsSettings.from(source), "the example spells out the defaults");
    }

    @Test
    void shouldLetEnvironmentVariablesOverrideTheExample() {
        ConfigSource source = ConfigSource.load(EXAMPLE, Map.of("MEMDRS_KAFKA_BOOTSTRAP_SERVERS", "b1:9093,b2:9093",
                "MEMDRS_STREAM_HTTP_PORT", "9090", "MEMDRS_DRS_HIGH_WATERMARK", "0.8"), DeployFiles.STREAM_PREFIXES);
        assertEquals("b1:9093,b2:9093", StreamConfig.from(source).kafka().get("bootstrap.servers"));
        assertEquals(9090, StreamConfig.from(source).httpPort());
        assertEquals(0.8, DrsSettings.from(source).policy().highWatermark());
    }
}
