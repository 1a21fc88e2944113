package io.memdrs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.stream.topology.ClusterFixture;
import io.memdrs.stream.topology.StreamSerdes;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * The stream app on a real broker with exactly-once v2: stopped and started again on a fresh state directory (so
 * state is restored from the changelogs), it neither repeats a recommendation id nor skips or repeats a round.
 */
@Tag("integration")
class StreamAppRestartTest {
    private static EmbeddedKafkaBroker broker;

    @TempDir
    static Path work;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(work.resolve("broker"));
        try (Admin admin = broker.admin()) {
            TopicPlan.createMissing(admin, 4, (short) 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldNeitherRepeatNorSkipRecommendationsAcrossARestart() throws Exception {
        String appId = "restart-" + UUID.randomUUID();
        DrsSettings drs = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "1s", "drs.hold", "0s",
                "drs.recommendation.lifetime", "2s", "drs.cooldown", "0s", "drs.no-return-window", "0s")));
        List<String> clusters = List.of("r-" + UUID.randomUUID().toString().substring(0, 6),
                "r-" + UUID.randomUUID().toString().substring(0, 6));
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            StreamSerdes serdes = StreamSerdes.standard();
            // A skewed cluster that never gets fixed (nobody executes the moves), so every round recommends.
            feeder.scheduleAtFixedRate(() -> {
                long now = System.currentTimeMillis();
                for (String c : clusters) {
                    for (int v = 0; v < 6; v++) {
                        producer.send(new ProducerRecord<>(Topics.VM_SAMPLES, c, serdes.vmSample().encode(
                                ClusterFixture.vm(c, "h1", c + "-vm" + v, 8, now))));
                    }
                    producer.send(new ProducerRecord<>(Topics.VM_SAMPLES, c, serdes.vmSample().encode(
                            ClusterFixture.vm(c, "h2", c + "-vm9", 2, now))));
                    producer.send(new ProducerRecord<>(Topics.HOST_SAMPLES, c, serdes.hostSample().encode(
                            ClusterFixture.host(c, "h1", 64, now))));
                    producer.send(new ProducerRecord<>(Topics.HOST_SAMPLES, c, serdes.hostSample().encode(
                            ClusterFixture.host(c, "h2", 64, now))));
                }
            }, 0, 500, TimeUnit.MILLISECONDS);

            runFor(appId, work.resolve("state-a"), drs, Duration.ofSeconds(8));
            runFor(appId, work.resolve("state-b"), drs, Duration.ofSeconds(8));
        } finally {
            feeder.shutdownNow();
        }

        Map<String, List<BalanceReport>> reports = new HashMap<>();
        List<MigrationRecommendation> recs = new ArrayList<>();
        AvroSerde<BalanceReport> reportSerde = AvroSerde.of(BalanceReport.class);
        AvroSerde<MigrationRecommendation> recSerde = AvroSerde.of(MigrationRecommendation.class);
        for (ConsumerRecord<String, byte[]> r : readAll(List.of(Topics.BALANCE_REPORTS, Topics.RECOMMENDATIONS))) {
            if (!clusters.contains(r.key())) {
                continue;
            }
            if (r.topic().equals(Topics.BALANCE_REPORTS)) {
                BalanceReport report = reportSerde.decode(r.value());
                reports.computeIfAbsent(report.getCluster(), k -> new ArrayList<>()).add(report);
            } else {
                recs.add(recSerde.decode(r.value()));
            }
        }
        Set<String> ids = new HashSet<>();
        for (MigrationRecommendation rec : recs) {
            assertTrue(ids.add(rec.getId()), "recommendation id " + rec.getId() + " published twice");
        }
        for (String c : clusters) {
            List<Long> rounds = reports.getOrDefault(c, List.of()).stream().map(BalanceReport::getRound).toList();
            assertTrue(rounds.size() >= 8, c + ": only " + rounds.size() + " rounds in 16 s");
            for (int i = 0; i < rounds.size(); i++) {
                assertEquals(i + 1L, rounds.get(i), c + ": rounds " + rounds);
            }
        }
        assertTrue(recs.size() >= 2, "recommendations: " + recs.size());
        System.out.printf("restart test: %d rounds and %d recommendations over two app lifetimes, all ids unique%n",
                reports.values().stream().mapToInt(List::size).sum(), recs.size());
    }

    private static void runFor(String appId, Path stateDir, DrsSettings drs, Duration duration) throws Exception {
        StreamConfig config = StreamConfig.from(ConfigSource.of(Map.of("stream.application-id", appId,
                "stream.state-dir", stateDir.toString(), "stream.http.port", "0",
                "kafka.bootstrap.servers", broker.bootstrapServers(), "streams.commit.interval.ms", "200")));
        try (StreamApp app = new StreamApp(config, drs)) {
            app.start();
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "app did not start");
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(100); // the app runs for a fixed time; the outcome is checked afterwards
            }
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(List<String> topics) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            int empty = 0;
            while (empty < 10) {
                var batch = consumer.poll(Duration.ofMillis(300));
                if (batch.isEmpty()) {
                    empty++;
                } else {
                    empty = 0;
                    batch.forEach(all::add);
                }
            }
        }
        return all;
    }
}
