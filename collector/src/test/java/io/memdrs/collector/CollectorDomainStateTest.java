package io.memdrs.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.libvirt.LibvirtConnector;
import io.memdrs.collector.libvirt.TestDriverNode;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Domain state changes made for real on a libvirt test-driver connection (the driver keeps its state per
 * connection, so the collector is given the same connector): a paused domain is NOT_RUNNING with the hint to resume
 * it, a resumed one is OK again, a destroyed one is no longer polled. Kafka is away; nothing blocks.
 */
@Tag("integration")
class CollectorDomainStateTest {
    @TempDir
    Path dir;

    @Test
    void shouldReportAPausedDomainAsNotRunningAndAResumedOneAsOkAndStopPollingADestroyedOne() throws Exception {
        String uri = TestDriverNode.write(dir.resolve("node.xml"), 3);
        CollectorConfig config = KafkaAway.config(Map.of("collector.cluster", "az1", "collector.host", "node-1",
                "collector.libvirt.uri", uri));
        CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry(), "test");
        SamplePublisher publisher = KafkaAway.publisher(config, metrics);
        LibvirtConnector connector = new LibvirtConnector(uri, false, Duration.ofSeconds(5), Clock.systemUTC());
        String paused = TestDriverNode.name(1);
        String destroyed = TestDriverNode.name(2);
        try (Collector collector = new Collector(config, metrics, publisher, Clock.systemUTC(), connector)) {
            assertEquals(StatsHealth.OK, health(collector).get(paused));

            onDomain(connector, paused, "suspend");
            Map<String, VmMemorySample> whilePaused = samples(collector);
            assertEquals(StatsHealth.NOT_RUNNING, whilePaused.get(paused).getHealth());
            assertTrue(whilePaused.get(paused).getHint().contains("virsh resume " + paused),
                    whilePaused.get(paused).getHint());

            onDomain(connector, paused, "resume");
            onDomain(connector, destroyed, "destroy");
            Map<String, StatsHealth> after = health(collector);
            assertEquals(StatsHealth.OK, after.get(paused));
            assertEquals(Map.of(paused, StatsHealth.OK, TestDriverNode.name(3), StatsHealth.OK), after,
                    "the destroyed domain is not running: no longer polled");
            publisher.close(Duration.ZERO);
        }
    }

    private static void onDomain(LibvirtConnector connector, String name, String action) throws Exception {
        connector.session().call(action + " " + name, c -> {
            var domain = c.domainLookupByName(name);
            switch (action) {
                case "suspend" -> domain.suspend();
                case "resume" -> domain.resume();
                default -> domain.destroy();
            }
            return null;
        });
    }

    private static Map<String, VmMemorySample> samples(Collector collector) {
        return collector.pollOnce().orElseThrow().vms().stream()
                .collect(Collectors.toMap(VmMemorySample::getVmName, s -> s));
    }

    private static Map<String, StatsHealth> health(Collector collector) {
        return samples(collector).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getHealth()));
    }
}
