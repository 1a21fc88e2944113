package io.memdrs.e2e.bench;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.schemas.bench.Stats;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

/**
 * From the sample that takes a host over the overload threshold to the recommendation on the output topic, on the
 * embedded broker with exactly-once v2 (commit interval 100 ms) and a zero hold time, p50/p99 over many trials;
 * baseline: a record's plain produce-to-consume latency through the same broker in the same run.
 *
 * <p>Run: {@code deploy/bin/memdrs bench latency} (arg: {@code [trials]}).
 */
public final class LatencyBenchmark {
    private LatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        System.out.print(run(trials, Path.of("target", "bench", "latency-" + System.currentTimeMillis())));
    }

    public static String run(int trials, Path work) throws Exception {
        Files.createDirectories(work);
        AvroSerde<VmMemorySample> vmSerde = AvroSerde.of(VmMemorySample.class);
        AvroSerde<HostMemorySample> hostSerde = AvroSerde.of(HostMemorySample.class);
        AvroSerde<MigrationRecommendation> recSerde = AvroSerde.of(MigrationRecommendation.class);
        double[] pipeline = new double[trials];
        double[] plain = new double[trials];
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 4, (short) 1);
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("bench.echo", 1, (short) 1))).all().get();
            }
            StreamConfig config = StreamConfig.from(ConfigSource.of(Map.of("stream.application-id", "latency-" + UUID.randomUUID(),
                    "stream.state-dir", work.resolve("state").toString(), "stream.http.port", "0",
                    "kafka.bootstrap.servers", broker.bootstrapServers(), "streams.commit.interval.ms", "100")));
            DrsSettings drs = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "1h", "drs.hold", "0s",
                    "drs.overload.threshold", "0.9")));
            try (StreamApp app = new StreamApp(config, drs);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0),
                         new StringSerializer(), new ByteArraySerializer());
                 KafkaConsumer<String, byte[]> consumer = consumer(broker.bootstrapServers())) {
                app.start();
                if (!app.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("stream app did not start");
                }
                consumer.subscribe(List.of(Topics.RECOMMENDATIONS, "bench.echo"));
                awaitAssignment(consumer);
                for (int i = 0; i < trials; i++) {
                    String cluster = "lat-" + i;
                    long now = System.currentTimeMillis();
                    // Calm first: two hosts half full.
                    for (String host : List.of("h1", "h2")) {
                        for (int v = 0; v < 4; v++) {
                            producer.send(new ProducerRecord<>(Topics.VM_SAMPLES, cluster, vmSerde.encode(
                                    BenchSamples.vm(cluster, host, cluster + host + v, 4 * BenchSamples.GIB, now))));
                        }
                        producer.send(new ProducerRecord<>(Topics.HOST_SAMPLES, cluster, hostSerde.encode(
                                BenchSamples.host(cluster, host, 64 * BenchSamples.GIB, now))));
                    }
                    producer.flush();
                    Thread.sleep(300);
                    // Then h1's VMs grow past the threshold; the host sample that shows it starts the clock.
                    long t = System.currentTimeMillis();
                    for (int v = 0; v < 4; v++) {
                        producer.send(new ProducerRecord<>(Topics.VM_SAMPLES, cluster, vmSerde.encode(
                                BenchSamples.vm(cluster, "h1", cluster + "h1" + v, 15 * BenchSamples.GIB, t))));
                    }
                    long t0 = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.HOST_SAMPLES, cluster, hostSerde.encode(
                            BenchSamples.host(cluster, "h1", 64 * BenchSamples.GIB, t))));
                    producer.flush();
                    pipeline[i] = awaitRecommendation(consumer, recSerde, cluster, t0);
                    long p0 = System.nanoTime();
                    producer.send(new ProducerRecord<>("bench.echo", cluster, new byte[200]));
                    producer.flush();
                    plain[i] = awaitEcho(consumer, cluster, p0);
                }
            }
        }
        Arrays.sort(pipeline);
        Arrays.sort(plain);
        return String.format("Latency, host over threshold -> recommendation, %d trials, exactly-once v2, commit 100 ms%n"
                        + "| path | p50 | p99 | max |%n|---|---|---|---|%n"
                        + "| sample -> recommendation (stream app) | %.0f ms | %.0f ms | %.0f ms |%n"
                        + "| produce -> consume (plain, baseline) | %.1f ms | %.1f ms | %.1f ms |%n"
                        + "ratio of p50s: %.1f%n",
                trials, pct(pipeline, 50), pct(pipeline, 99), pipeline[trials - 1], pct(plain, 50), pct(plain, 99),
                plain[trials - 1], pct(pipeline, 50) / Math.max(0.001, pct(plain, 50)));
    }

    static double pct(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "latency-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void awaitAssignment(KafkaConsumer<String, byte[]> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
    }

    private static double awaitRecommendation(KafkaConsumer<String, byte[]> consumer,
                                              AvroSerde<MigrationRecommendation> serde, String cluster, long t0) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                if (r.topic().equals(Topics.RECOMMENDATIONS) && serde.decode(r.value()).getCluster().equals(cluster)) {
                    return (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        throw new IllegalStateException("no recommendation for " + cluster + " within 30 s");
    }

    private static double awaitEcho(KafkaConsumer<String, byte[]> consumer, String key, long t0) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                if (r.topic().equals("bench.echo") && key.equals(r.key())) {
                    return (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        throw new IllegalStateException("echo record not consumed within 30 s");
    }
}
