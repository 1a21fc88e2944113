package io.memdrs.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.libvirt.TestDriverNode;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector started while libvirt cannot be reached (the test driver's node file is missing, a real connection
 * failure) keeps trying with backoff between its scheduled polls, and polls as soon as a connection opens: with a
 * 20 s poll interval it does not wait for the next tick. Kafka is away; samples stay in the buffer.
 */
@Tag("integration")
class CollectorReconnectionTest {
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldPollWithinSecondsOfLibvirtAnsweringNotAtTheNextTick() throws Exception {
        Path node = dir.resolve("node.xml");
        CollectorConfig config = KafkaAway.config(Map.of("collector.cluster", "az1", "collector.host", "node-1",
                "collector.libvirt.uri", "test://" + node.toAbsolutePath(),
                "collector.poll.interval", POLL_INTERVAL.toSeconds() + "s"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CollectorMetrics metrics = new CollectorMetrics(registry, "test");
        SamplePublisher publisher = KafkaAway.publisher(config, metrics);
        CompletableFuture<Collector.PollReport> firstPoll = new CompletableFuture<>();
        try (Collector collector = new Collector(config, metrics, publisher, Clock.systemUTC())) {
            collector.addPollListener(firstPoll::complete);
            long started = System.nanoTime();
            collector.start();
            Thread.sleep(1_500); // the tick at 0 s and the retry at 1 s have failed
            assertEquals(0.0, registry.get("memdrs.collector.libvirt.up").gauge().value(), "outage shows as down");
            assertTrue(registry.get("memdrs.collector.libvirt.outage.seconds").gauge().value() >= 1.0);
            TestDriverNode.write(node, 3);

            Collector.PollReport report = firstPoll.get(POLL_INTERVAL.toSeconds() - 5, TimeUnit.SECONDS);
            long afterMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

            double failures = registry.get("memdrs.collector.libvirt.connect.failures").counter().count();
            System.out.printf("libvirt missing for 1.5 s: %.0f failed attempts, first poll %d ms after start "
                    + "(poll interval %d s)%n", failures, afterMs, POLL_INTERVAL.toSeconds());
            assertEquals(3, report.vms().size());
            assertEquals(2.0, failures, "attempts at 0 s and 1 s failed; the one at 3 s succeeded");
            assertTrue(afterMs < 5_000, "polled at the 3 s attempt, " + afterMs + " ms after start");
            assertEquals(1, registry.get("memdrs.collector.libvirt.outages").timer().count());
            assertEquals(1.0, registry.get("memdrs.collector.libvirt.up").gauge().value());
            assertEquals(0.0, registry.get("memdrs.collector.libvirt.outage.seconds").gauge().value());
            publisher.close(Duration.ZERO);
        }
    }
}
