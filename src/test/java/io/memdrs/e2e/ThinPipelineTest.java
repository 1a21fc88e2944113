package io.memdrs.e2e;

import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The thin path on a real in-process KRaft broker and the real libvirt test driver. */
@Tag("integration")
class ThinPipelineTest {
    private static EmbeddedKafkaBroker broker;

    @TempDir
    static Path work;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(work.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldTurnOneTestDriverPollIntoAHostLoadThatMatchesVirsh() throws Exception {
        ThinPipelineScenario.run(broker.bootstrapServers(), Files.createDirectories(work.resolve("state")));
    }
}
