package io.memdrs.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same thin path on Apache Kafka in a container; skipped where no Docker engine runs. */
@Tag("integration")
@Testcontainers(disabledWithoutDocker = true)
class ThinPipelineOnContainerKafkaTest {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @TempDir
    Path work;

    @Test
    void shouldTurnOneTestDriverPollIntoAHostLoadThatMatchesVirsh() throws Exception {
        ThinPipelineScenario.run(KAFKA.getBootstrapServers(), Files.createDirectories(work.resolve("state")));
    }
}
