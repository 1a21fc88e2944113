package io.memdrs.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.KafkaAway;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's promise: Kafka being away never blocks the caller, and every sample is delivered or counted lost. */
@Tag("integration")
class SamplePublisherOutageTest {
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
    void shouldDeliverSamplesPublishedBeforeKafkaWasReachableExactlyOnce() {
        String topic = "vm-" + UUID.randomUUID();
        broker.createTopics(2, topic, topic + "-hosts");
        CollectorMetrics metrics = metrics();
        broker.stop();
        int published = 30;
        try (SamplePublisher publisher = new SamplePublisher(kafka(broker.bootstrapServers(), "1000"), topic,
                topic + "-hosts", Duration.ofMinutes(10), 1000, metrics)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < published; i++) {
                publisher.publish(Samples.vm("c1", i, now));
            }
            // The outage: longer than max.block.ms, so the producer refuses the first record at least twice.
            letTimePass(Duration.ofSeconds(3));
            assertEquals(0, metrics.samplesLost(), "nothing counts as lost within the outage tolerance");
            broker.start();
            assertTrue(publisher.drain(Duration.ofSeconds(60)), "backlog " + publisher.backlog() + " not delivered");
        } finally {
            broker.start();
        }
        List<VmMemorySample> read = TopicReader.readUntil(broker.bootstrapServers(), topic,
                AvroSerde.of(VmMemorySample.class), seen -> seen.size() >= published, Duration.ofSeconds(30));
        Set<String> uuids = read.stream().map(VmMemorySample::getVmUuid).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(published, read.size(), "each sample exactly once");
        assertEquals(published, uuids.size());
        assertEquals(published, metrics.samplesSent());
        assertEquals(0, metrics.samplesLost());
    }

    @Test
    void shouldCountSamplesAsLostOnceKafkaStaysAwayLongerThanTheOutageTolerance() {
        CollectorMetrics metrics = metrics();
        try (SamplePublisher publisher = new SamplePublisher(kafka(KafkaAway.bootstrap(), "300"), "vm", "host",
                Duration.ofSeconds(1), 1000, metrics)) {
            for (int i = 0; i < 5; i++) {
                publisher.publish(Samples.vm("c1", i, System.currentTimeMillis()));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (metrics.samplesLost() < 5 && System.nanoTime() < deadline) {
                publisher.drain(Duration.ofMillis(100));
            }
            assertEquals(5, metrics.samplesLost());
            assertEquals(0, metrics.samplesSent());
            assertEquals(5.0, metrics.registry().get("memdrs.collector.samples.lost").tag("reason", "expired")
                    .counter().count());
        }
    }

    @Test
    void shouldNeverBlockThePublisherAndAccountForEverySampleWhenKafkaIsAwayAtShutdown() {
        CollectorMetrics metrics = metrics();
        int published = 1500;
        SamplePublisher publisher = new SamplePublisher(kafka(KafkaAway.bootstrap(), "300"), "vm", "host",
                Duration.ofMinutes(10), 1000, metrics);
        long began = System.nanoTime();
        long now = System.currentTimeMillis();
        for (int i = 0; i < published; i++) {
            publisher.publish(Samples.vm("c1", i, now));
        }
        Duration publishing = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(publishing.compareTo(Duration.ofSeconds(2)) < 0, "publishing took " + publishing);
        double evicted = metrics.registry().get("memdrs.collector.samples.lost").tag("reason", "buffer_full")
                .counter().count();
        assertTrue(evicted >= published - 1000 - 1, "oldest samples evicted from the full buffer: " + evicted);

        long closing = System.nanoTime();
        publisher.close(Duration.ofSeconds(1));
        Duration closed = Duration.ofNanos(System.nanoTime() - closing);
        assertTrue(closed.compareTo(Duration.ofSeconds(10)) < 0, "close is bounded while Kafka is away: " + closed);
        assertEquals(0, metrics.samplesSent());
        assertEquals(published, metrics.samplesLost(), "every sample not delivered is counted");
    }

    private static CollectorMetrics metrics() {
        return new CollectorMetrics(new SimpleMeterRegistry(), "test");
    }

    private static Map<String, String> kafka(String bootstrap, String maxBlockMs) {
        return Map.of("bootstrap.servers", bootstrap, "max.block.ms", maxBlockMs, "reconnect.backoff.max.ms", "500");
    }


    /** Lets an outage last: the scenario's duration, not a wait for an outcome. */
    private static void letTimePass(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
