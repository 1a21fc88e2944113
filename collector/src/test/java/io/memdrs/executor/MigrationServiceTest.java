package io.memdrs.executor;

import static io.memdrs.executor.Recommendations.load;
import static io.memdrs.executor.Recommendations.move;
import static io.memdrs.executor.Recommendations.pause;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.collector.libvirt.TestDriverNode;
import io.memdrs.executor.libvirt.LibvirtMigrator;
import io.memdrs.executor.service.MigrationService;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.topics.DeadLetter;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration service against a real broker and real libvirt (the test driver: node files for hosts h1, with
 * three running VMs, h2 and h3 without any, and h5 whose node file is missing). Every recommendation becomes exactly one outcome, with the reason
 * an operator needs; the test driver cannot migrate, which is a real libvirt failure for the FAILED path.
 */
@Tag("integration")
class MigrationServiceTest {
    @TempDir
    static Path work;
    static EmbeddedKafkaBroker broker;
    static Map<String, String> hosts = new HashMap<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(work.resolve("broker"));
        try (Admin admin = broker.admin()) {
            TopicPlan.createMissing(admin, 2, (short) 1);
        }
        hosts.put("executor.libvirt.uri.h1", TestDriverNode.write(work.resolve("h1.xml"), 3));
        hosts.put("executor.libvirt.uri.h2", TestDriverNode.write(work.resolve("h2.xml"), 0));
        hosts.put("executor.libvirt.uri.h3", TestDriverNode.write(work.resolve("h3.xml"), 0));
        hosts.put("executor.libvirt.uri.h5", "test://" + work.resolve("no-such-node.xml"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldGiveEveryRecommendationOneOutcomeWithItsReasonInADryRun() throws Exception {
        long now = System.currentTimeMillis();
        String c = "dry";
        send(Topics.HOST_LOAD, c, AvroSerde.of(HostLoad.class).encode(load(c, "h2", 30, now)));
        send(Topics.HOST_LOAD, c, AvroSerde.of(HostLoad.class).encode(load(c, "h3", 89, now)));
        send(Topics.CONTROL, "frozen", AvroSerde.of(ControlEvent.class).encode(pause("frozen", "freeze/1", true, now)));
        List<MigrationRecommendation> recs = List.of(
                move(c + ":1:1", c, TestDriverNode.uuid(1), "h1", "h2", now),
                move(c + ":1:2", c, TestDriverNode.uuid(2), "h1", "h2", now - 400_000),
                move(c + ":1:3", c, TestDriverNode.uuid(2), "h1", "h3", now),
                move(c + ":1:4", c, TestDriverNode.uuid(99), "h1", "h2", now),
                move(c + ":1:5", c, TestDriverNode.uuid(3), "h1", "h4", now),
                move(c + ":1:6", c, TestDriverNode.uuid(3), "h5", "h2", now),
                move("frozen:1:1", "frozen", TestDriverNode.uuid(1), "h1", "h2", now));
        for (MigrationRecommendation r : recs) {
            send(Topics.RECOMMENDATIONS, r.getCluster(), AvroSerde.of(MigrationRecommendation.class).encode(r));
        }
        send(Topics.RECOMMENDATIONS, c, new byte[] {1, 2, 3});

        Map<String, MigrationEvent> byId = runUntil(Map.of("executor.group-id", "dry-run", "executor.clusters", "dry,frozen"), recs.size())
                .stream().collect(Collectors.toMap(MigrationEvent::getRecommendationId, e -> e));
        assertEquals(recs.size(), byId.size(), "one event per recommendation: " + byId.keySet());
        byId.values().forEach(e -> assertEquals(MigrationStatus.SKIPPED, e.getStatus(), e.toString()));
        MigrationEvent would = byId.get(c + ":1:1");
        assertTrue(would.getDryRun() && would.getReason().startsWith("dry run: would migrate vm 0001 ("
                + TestDriverNode.uuid(1) + ") h1 -> h2"), would.getReason());
        assertTrue(would.getReason().contains("live, persistent on the target, undefined on the source, auto-converge"),
                would.getReason());
        assertEquals(4L * 1024 * 1024 * 1024, would.getPredictedBytes());
        assertEquals(4096, would.getPredictedDurationMillis(), "4,096 MiB at the assumed 1,000 MiB/s");
        assertReason(byId, c + ":1:2", "expired 10"); // 100 s and the time the test took so far
        assertReason(byId, c + ":1:3", "the target h3 would be at 91.0% of its capacity");
        assertReason(byId, c + ":1:4", "VM is on neither h1 nor h2");
        assertReason(byId, c + ":1:5", "no host load known for the target h4");
        assertReason(byId, c + ":1:6", "cannot ask libvirt where the VM is");
        assertReason(byId, "frozen:1:1", "migrations of cluster frozen are paused by rule 'freeze/1' (change freeze)");

        List<ConsumerRecord<String, byte[]>> dead = read(Topics.DEAD_LETTERS, 1);
        assertEquals(Topics.RECOMMENDATIONS, DeadLetter.header(dead.get(0).headers(), DeadLetter.TOPIC));
        assertTrue(DeadLetter.header(dead.get(0).headers(), DeadLetter.REASON).length() > 0);
    }

    @Test
    void shouldReportAFailedMigrationWithLibvirtsErrorAndNeverRetryIt() throws Exception {
        long now = System.currentTimeMillis();
        String c = "live";
        send(Topics.HOST_LOAD, c, AvroSerde.of(HostLoad.class).encode(load(c, "h2", 30, now)));
        MigrationRecommendation rec = move(c + ":1:1", c, TestDriverNode.uuid(1), "h1", "h2", now);
        send(Topics.RECOMMENDATIONS, c, AvroSerde.of(MigrationRecommendation.class).encode(rec));

        Map<String, String> live = Map.of("executor.group-id", "live", "executor.dry-run", "false",
                "executor.clusters", c);
        List<MigrationEvent> events = runUntil(live, 2);
        assertEquals(List.of(MigrationStatus.STARTED, MigrationStatus.FAILED),
                events.stream().map(MigrationEvent::getStatus).toList(), events.toString());
        MigrationEvent failed = events.get(1);
        assertTrue(failed.getReason().startsWith("libvirt: "), failed.getReason());
        assertTrue(failed.getReason().contains("not supported"), "the test driver's own words: " + failed.getReason());
        assertTrue(failed.getStartedAtMillis() != null && failed.getAtMillis() >= failed.getStartedAtMillis());
        assertNull(failed.getJob(), "the test driver has no job statistics");

        // a second life of the same group finds the batch committed: nothing is tried again
        assertEquals(2, runUntil(live, 2).size(), "no new event for the failed recommendation");
    }

    private static void assertReason(Map<String, MigrationEvent> byId, String id, String expected) {
        MigrationEvent e = byId.get(id);
        assertTrue(!e.getDryRun() && e.getReason().contains(expected), id + ": " + e.getReason());
    }

    /** Runs a service until the events topic holds {@code events} of the clusters this test wrote, then 1 s more. */
    private static List<MigrationEvent> runUntil(Map<String, String> overrides, int events) throws Exception {
        Map<String, String> config = new HashMap<>(hosts);
        config.putAll(overrides);
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        ExecutorSettings settings = Recommendations.settings(config);
        String cluster = overrides.get("executor.group-id").equals("live") ? "live" : null;
        MigrationService service = new MigrationService(settings, new LibvirtMigrator(settings, Clock.systemUTC()),
                Clock.systemUTC());
        Thread t = new Thread(service::run, "service");
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<MigrationEvent> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = events(cluster == null ? List.of("dry", "frozen") : List.of(cluster));
            if (seen.size() >= events) {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(1000);
        service.close();
        t.join(30_000);
        return events(cluster == null ? List.of("dry", "frozen") : List.of(cluster));
    }

    private static List<MigrationEvent> events(List<String> clusters) {
        AvroSerde<MigrationEvent> serde = AvroSerde.of(MigrationEvent.class);
        List<MigrationEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : read(Topics.MIGRATION_EVENTS, 0)) {
            MigrationEvent e = serde.decode(r.value());
            if (clusters.contains(e.getCluster())) {
                events.add(e);
            }
        }
        return events;
    }

    private static void send(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Everything on {@code topic} now (at least {@code atLeast} records, waiting up to 30 s for them). */
    private static List<ConsumerRecord<String, byte[]>> read(String topic, int atLeast) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(tps);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && (all.size() < atLeast || tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)))) {
                c.poll(Duration.ofMillis(100)).forEach(all::add);
                if (all.size() < atLeast) {
                    end.putAll(c.endOffsets(tps));
                }
            }
            return all;
        }
    }
}
