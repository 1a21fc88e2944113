package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import io.memdrs.demo.FleetGenerator;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's delivery promise, end to end: {@code run}'s poll loop (1 s interval) on a libvirt test-driver node
 * with a dozen domains, publishing to a real broker that goes away for a minute in the middle of the run. Every
 * sample the polls produced must be in Kafka exactly once, counted by (VM uuid, sample time) and (host, sample time).
 */
@Tag("integration")
class CollectorKafkaOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final int VMS = 12;

    @TempDir
    static Path work;

    @Test
    void shouldDeliverEverySampleExactlyOnceWhenTheBrokerIsAwayForAMinute() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String vmTopic = "outage-vm-samples-" + suffix;
        String hostTopic = "outage-host-samples-" + suffix;
        Path node = work.resolve("node.xml");
        Files.writeString(node, FleetGenerator.nodeXml(FleetGenerator.generate(1, VMS, 11).get(0)));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            broker.createTopics(2, vmTopic, hostTopic);
            CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of(
                    "collector.cluster", "outage-" + suffix, "collector.host", "node-1",
                    "collector.libvirt.uri", "test://" + node.toAbsolutePath(),
                    "collector.poll.interval", "1s", "collector.metrics.port", "0",
                    "collector.topic.vm-samples", vmTopic, "collector.topic.host-samples", hostTopic,
                    "kafka.bootstrap.servers", broker.bootstrapServers())));
            CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry(), "test");
            SamplePublisher publisher = new SamplePublisher(config.kafka(), config.vmTopic(), config.hostTopic(),
                    config.outageTolerance(), config.bufferRecords(), metrics);
            Set<String> produced = ConcurrentHashMap.newKeySet();
            List<Instant> polls = Collections.synchronizedList(new ArrayList<>());

            try (Collector collector = new Collector(config, metrics, publisher, Clock.systemUTC())) {
                collector.addPollListener(report -> {
                    report.vms().forEach(vm -> produced.add(key(vm)));
                    produced.add(key(report.host()));
                    polls.add(report.time());
                });
                collector.start();
                await("5 polls delivered before the outage", Duration.ofSeconds(30),
                        () -> polls.size() >= 5 && metrics.samplesSent() >= 5L * (VMS + 1));

                broker.stop();
                int pollsBefore = polls.size();
                long outageEnds = System.nanoTime() + OUTAGE.toNanos();
                while (System.nanoTime() < outageEnds) {
                    awaitNextPoll(polls, Duration.ofSeconds(5));
                }
                int pollsDuring = polls.size() - pollsBefore;
                long backlogAtEnd = publisher.backlog();
                assertTrue(pollsDuring >= OUTAGE.toSeconds() - 5, "the poll loop kept polling: " + pollsDuring);
                assertEquals(0, metrics.samplesLost(), "nothing is lost within the outage tolerance");
                assertTrue(backlogAtEnd >= (long) (pollsDuring - 5) * (VMS + 1), "samples wait: " + backlogAtEnd);

                broker.start();
                int pollsAtRestart = polls.size();
                await("the backlog delivered and 3 polls after the broker came back", Duration.ofSeconds(60),
                        () -> publisher.backlog() == 0 && polls.size() >= pollsAtRestart + 3);
                System.out.printf("outage: %d polls during %d s without the broker, %d samples waiting at its end%n",
                        pollsDuring, OUTAGE.toSeconds(), backlogAtEnd);
            }

            Map<String, Integer> delivered = new HashMap<>();
            TopicContents.readAll(broker.bootstrapServers(), vmTopic, AvroSerde.of(VmMemorySample.class),
                    Duration.ofSeconds(30)).forEach(vm -> delivered.merge(key(vm), 1, Integer::sum));
            TopicContents.readAll(broker.bootstrapServers(), hostTopic, AvroSerde.of(HostMemorySample.class),
                    Duration.ofSeconds(30)).forEach(host -> delivered.merge(key(host), 1, Integer::sum));

            Set<String> missing = new TreeSet<>(produced);
            missing.removeAll(delivered.keySet());
            Set<String> unexpected = new TreeSet<>(delivered.keySet());
            unexpected.removeAll(produced);
            Map<String, Integer> duplicated = new HashMap<>(delivered);
            duplicated.values().removeIf(n -> n == 1);
            System.out.printf("outage: %d polls, %d samples produced, %d delivered (%d distinct), sent %d, lost %d%n",
                    polls.size(), produced.size(), delivered.values().stream().mapToInt(Integer::intValue).sum(),
                    delivered.size(), metrics.samplesSent(), metrics.samplesLost());
            assertTrue(missing.isEmpty(), missing.size() + " samples missing, e.g. " + first(missing));
            assertTrue(duplicated.isEmpty(), duplicated.size() + " samples duplicated, e.g. " + duplicated);
            assertTrue(unexpected.isEmpty(), "samples no poll reported: " + first(unexpected));
            assertEquals(produced.size(), metrics.samplesSent(), "metrics: sent");
            assertEquals(0, metrics.samplesLost(), "metrics: lost");
        }
    }

    private static String key(VmMemorySample vm) {
        return "vm " + vm.getVmUuid() + " @" + vm.getSampleTimeMillis();
    }

    private static String key(HostMemorySample host) {
        return "host " + host.getHost() + " @" + host.getSampleTimeMillis();
    }

    private static String first(Set<String> keys) {
        return keys.isEmpty() ? "-" : keys.iterator().next();
    }

    private static void awaitNextPoll(List<Instant> polls, Duration timeout) {
        int seen = polls.size();
        await("the next poll", timeout, () -> polls.size() > seen);
    }

    /** Checks {@code done} every 50 ms until it holds; fails naming {@code what} at the deadline. */
    private static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
