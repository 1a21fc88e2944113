package io.memdrs.e2e.bench;

import io.memdrs.config.ConfigSource;
import io.memdrs.schemas.bench.Stats;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.kafka.embedded.EmbeddedKafkaCluster;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Samples per second the stream app sustains (exactly-once v2, the real topology with its stores) on the embedded
 * broker, for 1,000 / 10,000 / 100,000 VMs across 10 / 100 / 1,000 clusters, against two baselines in the same
 * run: the consumer a user would write instead ({@link DecodeAggregateConsumer}: decode, aggregate in HashMaps,
 * commit every 100 ms) and a consumer that reads the same records and does nothing with them. Each size:
 * pre-produced polls of every VM plus 10 host samples per cluster (30 polls; 6 at 100,000 VMs, a 10-minute
 * backlog); the app is timed from RUNNING until its committed offsets reach the end, and its heap is taken after a
 * full GC while it still runs, less the heap before it started. After the table, one
 * {@code pipeline-result vms=N threads=T stream=S decode-aggregate=D no-work=W} line per size (medians).
 *
 * <p>{@code -Dmemdrs.bench.vms=10000} runs one size only; {@code -Dmemdrs.bench.streams.X=Y} passes {@code streams.X=Y}
 * to the app (for trying settings).
 *
 * <p>Run: {@code deploy/bin/memdrs bench pipeline} (args: {@code [repeats] [scale] [stream threads] [brokers]};
 * scale 0.01 = smoke size; brokers 3 = a replicated three-node cluster).
 */
public final class PipelineBenchmark {
    private static final int PARTITIONS = 4;

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int brokers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        System.out.print(run(repeats, scale, threads, brokers, Path.of("target", "bench", "pipeline-" + System.currentTimeMillis())));
    }

    public static String run(int repeats, double scale, Path work) throws Exception {
        return run(repeats, scale, 1, work);
    }

    /** @param threads stream threads of the app ({@code streams.num.stream.threads}) */
    public static String run(int repeats, double scale, int threads, Path work) throws Exception {
        return run(repeats, scale, threads, 1, work);
    }

    /**
     * @param brokers 1: one embedded broker, topics unreplicated; 3: an embedded three-node cluster, every topic
     *                (the app's internal ones too) replicated three times, {@code min.insync.replicas} 2
     */
    public static String run(int repeats, double scale, int threads, int brokers, Path work) throws Exception {
        StringBuilder table = new StringBuilder(String.format("Pipeline throughput, %s, %d partitions, "
                + "exactly-once v2, %d stream thread(s), %d repeats (median, min-max)%n| VMs | clusters | samples | "
                + "stream app | decode-and-aggregate consumer | no-work consumer | stream / decode-aggregate | "
                + "stream / no-work | app heap after GC | stream app time |%n|---|---|---|---|---|---|---|---|---|---|%n",
                brokers == 1 ? "embedded broker" : brokers + " embedded brokers (replication " + Math.min(3, brokers)
                        + ", min.insync.replicas " + Math.min(2, brokers) + ")", PARTITIONS, threads, repeats));
        StringBuilder results = new StringBuilder();
        // VMs, clusters, polls: the last size is a 10-minute backlog of 100,000 VMs (polls every 10 s).
        int[][] sizes = {{1_000, 10, 30}, {10_000, 100, 30}, {100_000, 1_000, 6}};
        String only = System.getProperty("memdrs.bench.vms", "");
        for (int[] size : sizes) {
            if (!only.isEmpty() && !List.of(only.split(",")).contains(Integer.toString(size[0]))) {
                continue;
            }
            int vms = Math.max(10, (int) (size[0] * scale));
            int clusters = Math.max(1, (int) (size[1] * scale));
            Path dir = work.resolve(vms + "-vms");
            Files.createDirectories(dir);
            try (Kafka kafka = Kafka.start(dir, brokers)) {
                try (Admin admin = kafka.admin()) {
                    TopicPlan.createMissing(admin, PARTITIONS, (short) kafka.replication());
                }
                long records = produce(kafka.bootstrapServers(), vms, clusters, size[2]);
                double[] app = new double[repeats];
                double[] appSeconds = new double[repeats];
                double[] heap = new double[repeats];
                double[] aggregate = new double[repeats];
                double[] plain = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    plain[r] = records / plainConsumerSeconds(kafka.bootstrapServers(), records);
                    aggregate[r] = records / DecodeAggregateConsumer.seconds(kafka.bootstrapServers(), records);
                    AppRun run = streamApp(kafka, dir.resolve("state-" + r), threads);
                    appSeconds[r] = run.seconds();
                    app[r] = records / run.seconds();
                    heap[r] = run.heapMiB();
                }
                var a = Stats.of(app);
                var d = Stats.of(aggregate);
                var p = Stats.of(plain);
                table.append(String.format("| %,d | %,d | %,d | %s | %s | %s | %.2f | %.2f | %.0f MiB | %.1f s |%n", vms,
                        clusters, records, a.format("samples/s"), d.format("samples/s"), p.format("records/s"),
                        a.median() / d.median(), a.median() / p.median(), Stats.of(heap).median(),
                        Stats.of(appSeconds).median()));
                results.append(String.format("pipeline-result vms=%d threads=%d stream=%.0f decode-aggregate=%.0f "
                        + "no-work=%.0f%n", vms, threads, a.median(), d.median(), p.median()));
            }
        }
        return table.append(results).toString();
    }

    /** Produces {@code polls} polls of every VM and host; returns the number of records. */
    static long produce(String bootstrap, int vms, int clusters, int polls) throws Exception {
        return produce(bootstrap, vms, clusters, polls, System.currentTimeMillis() - polls * 10_000L);
    }

    /** As {@link #produce(String, int, int, int)}, the first poll at {@code start} (epoch millis), 10 s apart. */
    static long produce(String bootstrap, int vms, int clusters, int polls, long start) throws Exception {
        AvroSerde<VmMemorySample> vmSerde = AvroSerde.of(VmMemorySample.class);
        AvroSerde<HostMemorySample> hostSerde = AvroSerde.of(HostMemorySample.class);
        int hostsPerCluster = 10;
        int vmsPerHost = Math.max(1, vms / (clusters * hostsPerCluster));
        long count = 0;
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            Callback failures = (metadata, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
            };
            for (int poll = 0; poll < polls; poll++) {
                long t = start + poll * 10_000L;
                for (int c = 0; c < clusters; c++) {
                    String cluster = "bench-" + c;
                    for (int h = 0; h < hostsPerCluster; h++) {
                        String host = "h" + h;
                        for (int v = 0; v < vmsPerHost; v++) {
                            long usage = (1 + (v + poll) % 6) * BenchSamples.GIB;
                            producer.send(new ProducerRecord<>(Topics.VM_SAMPLES, cluster, vmSerde.encode(
                                    BenchSamples.vm(cluster, host, cluster + "-" + h + "-" + v, usage, t))), failures);
                            count++;
                        }
                        producer.send(new ProducerRecord<>(Topics.HOST_SAMPLES, cluster, hostSerde.encode(
                                BenchSamples.host(cluster, host, 256 * BenchSamples.GIB, t))), failures);
                        count++;
                    }
                }
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing the benchmark's samples failed", failed.get());
        }
        return count;
    }

    /**
     * Seconds a plain consumer (no group: assigned every partition, read_committed) takes from its first record to
     * the end offsets of both sample topics; fails rather than report a figure when it cannot get there.
     */
    static double plainConsumerSeconds(String bootstrap, long expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.VM_SAMPLES, Topics.HOST_SAMPLES)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long inTopics = ends.values().stream().mapToLong(Long::longValue).sum();
            if (inTopics != expected) {
                throw new IllegalStateException("the sample topics hold " + inTopics + " records, " + expected + " were produced");
            }
            long seen = 0;
            long began = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("plain consumer read " + seen + " of " + expected + " in 5 minutes");
                }
                int n = consumer.poll(Duration.ofMillis(100)).count();
                if (n > 0 && began == 0) {
                    began = System.nanoTime();
                }
                seen += n;
            }
            return (System.nanoTime() - began) / 1e9;
        }
    }

    /** Seconds the stream app took and the heap it held (after GC, app running, less the heap before it started). */
    record AppRun(double seconds, double heapMiB) {}

    static AppRun streamApp(Kafka kafka, Path stateDir, int threads) throws Exception {
        String appId = "bench-" + UUID.randomUUID();
        Map<String, String> settings = new java.util.HashMap<>(Map.of("stream.application-id", appId,
                "stream.state-dir", stateDir.toString(), "stream.http.port", "0",
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "streams.num.stream.threads", Integer.toString(threads),
                "streams.replication.factor", Integer.toString(kafka.replication())));
        // -Dmemdrs.bench.streams.X=Y runs the app with streams.X=Y: for trying settings, never in reported figures.
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("memdrs.bench.streams."))
                .forEach(k -> settings.put(k.substring("memdrs.bench.".length()), System.getProperty(k)));
        StreamConfig config = StreamConfig.from(ConfigSource.of(settings));
        DrsSettings drs = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "10m")));
        long heapBefore = heapAfterGc();
        try (StreamApp app = new StreamApp(config, drs); Admin admin = kafka.admin()) {
            app.start();
            if (!app.awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("stream app did not start");
            }
            long began = System.nanoTime();
            Map<TopicPartition, Long> ends = endOffsets(admin);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                boolean done = ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    double seconds = (System.nanoTime() - began) / 1e9;
                    return new AppRun(seconds, (heapAfterGc() - heapBefore) / 1048576.0);
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("stream app did not catch up within 10 minutes");
        }
    }

    /** The Kafka the run uses: one embedded broker, or an embedded cluster of several. */
    record Kafka(EmbeddedKafkaBroker broker, EmbeddedKafkaCluster cluster) implements AutoCloseable {
        static Kafka start(Path dir, int brokers) {
            return brokers == 1 ? new Kafka(EmbeddedKafkaBroker.start(dir.resolve("broker")), null)
                    : new Kafka(null, EmbeddedKafkaCluster.start(dir.resolve("cluster"), brokers));
        }

        String bootstrapServers() {
            return broker != null ? broker.bootstrapServers() : cluster.bootstrapServers();
        }

        Admin admin() {
            return broker != null ? broker.admin() : cluster.admin();
        }

        int replication() {
            return broker != null ? 1 : Math.min(3, cluster.nodes());
        }

        @Override
        public void close() {
            if (broker != null) {
                broker.close();
            } else {
                cluster.close();
            }
        }
    }

    /** Heap in use after a full collection (the JVM also holds the broker; callers take differences). */
    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        for (String topic : Set.of(Topics.VM_SAMPLES, Topics.HOST_SAMPLES)) {
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet()) {
            if (e.getValue().offset() > 0) {
                ends.put(e.getKey(), e.getValue().offset());
            }
        }
        return ends;
    }
}
