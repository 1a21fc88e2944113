package io.memdrs.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** deploy/config/executor.properties is a valid configuration whose values are the defaults it says they are. */
class ExecutorPropertiesExampleTest {
    @Test
    void shouldStateTheDefaultsOfEveryKeyItSets() {
        ExecutorSettings example = ExecutorSettings.from(ConfigSource.load(
                Path.of("..", "deploy", "config", "executor.properties"), Map.of(), "executor.", "kafka."));
        ExecutorSettings defaults = ExecutorSettings.from(ConfigSource.of(Map.of("kafka.bootstrap.servers", "localhost:9092")));
        assertTrue(example.dryRun(), "the example is a dry run");
        assertEquals(defaults.groupId(), example.groupId());
        assertEquals(defaults.uriTemplate(), example.uriTemplate());
        assertEquals(defaults.bandwidthMiBps(), example.bandwidthMiBps());
        assertEquals(defaults.maxDowntime(), example.maxDowntime());
        assertEquals(defaults.autoConverge(), example.autoConverge());
        assertEquals(defaults.maxPerHost(), example.maxPerHost());
        assertEquals(defaults.jobDeadline(), example.jobDeadline());
        assertEquals(defaults.maxTargetLoad(), example.maxTargetLoad());
        assertEquals(defaults.hostLoadMaxAge(), example.hostLoadMaxAge());
        assertEquals(defaults.assumedLinkMiBps(), example.assumedLinkMiBps());
        assertEquals(defaults.clusters(), example.clusters());
        assertEquals(defaults.kafka(), example.kafka());
    }

    @Test
    void shouldLetTheEnvironmentSwitchTheDryRunOff() {
        ExecutorSettings s = ExecutorSettings.from(ConfigSource.load(Path.of("..", "deploy", "config", "executor.properties"),
                Map.of("MEMDRS_EXECUTOR_DRY_RUN", "false", "MEMDRS_EXECUTOR_MAX_PER_HOST", "2"), "executor.", "kafka."));
        assertTrue(!s.dryRun());
        assertEquals(2, s.maxPerHost());
    }
}
