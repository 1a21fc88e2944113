package io.memdrs.demo;

import io.memdrs.avro.HostLoad;
import io.memdrs.avro.StatsHealth;
import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole pipeline on one machine: an embedded KRaft broker, a fleet of libvirt test-driver hosts, one collector
 * per host, the stream app, and a live view of the host loads it computes.
 */
public final class Demo {
    /** What the demo saw, for the summary. */
    public record Summary(int hosts, int vms, long samplesSent, long samplesLost, double imbalanceStart,
                          double imbalanceEnd, Map<StatsHealth, Integer> health) {}

    private final int hosts;
    private final int vmsPerHost;
    private final Duration duration;
    private final Path workDir;
    private final PrintStream out;

    public Demo(int hosts, int vmsPerHost, Duration duration, Path workDir, PrintStream out) {
        this.hosts = hosts;
        this.vmsPerHost = vmsPerHost;
        this.duration = duration;
        this.workDir = workDir;
        this.out = out;
    }

    public Summary run() throws Exception {
        Files.createDirectories(workDir);
        out.printf("memdrs demo: %d hosts x %d VMs, %d s, work dir %s%n", hosts, vmsPerHost, duration.toSeconds(), workDir);
        List<Collector> collectors = new ArrayList<>();
        List<CollectorMetrics> metrics = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(workDir.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 4, (short) 1);
            }
            out.printf("broker: embedded KRaft on %s%n", broker.bootstrapServers());
            List<FleetGenerator.Host> fleet = FleetGenerator.generate(hosts, vmsPerHost, 42);
            StreamConfig streamConfig = StreamConfig.from(ConfigSource.of(Map.of(
                    "stream.application-id", "memdrs-demo", "stream.state-dir", workDir.resolve("state").toString(),
                    "stream.http.port", "0", "kafka.bootstrap.servers", broker.bootstrapServers())));
            try (StreamApp app = new StreamApp(streamConfig, io.memdrs.stream.config.DrsSettings.defaults())) {
                app.start();
                for (FleetGenerator.Host host : fleet) {
                    Path node = workDir.resolve(host.name() + ".xml");
                    Files.writeString(node, FleetGenerator.nodeXml(host));
                    CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of(
                            "collector.cluster", "demo", "collector.host", host.name(),
                            "collector.libvirt.uri", "test://" + node.toAbsolutePath(),
                            "collector.poll.interval", "2s", "collector.metrics.port", "0",
                            "collector.host.reserved-kib", Long.toString(4L * 1024 * 1024),
                            "kafka.bootstrap.servers", broker.bootstrapServers())));
                    CollectorMetrics m = new CollectorMetrics(new SimpleMeterRegistry(), "demo");
                    SamplePublisher publisher = new SamplePublisher(config.kafka(), config.vmTopic(), config.hostTopic(),
                            config.outageTolerance(), config.bufferRecords(), m);
                    Collector collector = new Collector(config, m, publisher, Clock.systemUTC());
                    collectors.add(collector);
                    metrics.add(m);
                    collector.start();
                }
                out.printf("collectors: %d, polling every 2 s; stream app: %s%n%n", collectors.size(), "starting");
                return watch(broker.bootstrapServers(), collectors, metrics);
            } finally {
                collectors.forEach(Collector::close);
            }
        }
    }

    private Summary watch(String bootstrap, List<Collector> collectors, List<CollectorMetrics> metrics) throws IOException {
        LoadBoard board = new LoadBoard();
        AvroSerde<HostLoad> serde = AvroSerde.of(HostLoad.class);
        double start = Double.NaN;
        long began = System.nanoTime();
        long nextFrame = 0;
        try (KafkaConsumer<String, HostLoad> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "memdrs-demo-view",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), serde)) {
            consumer.subscribe(List.of(Topics.HOST_LOAD));
            while (System.nanoTime() - began < duration.toNanos()) {
                for (ConsumerRecord<String, HostLoad> record : consumer.poll(Duration.ofMillis(250))) {
                    board.update(record.value());
                }
                long elapsed = System.nanoTime() - began;
                if (elapsed >= nextFrame && board.hosts() > 0) {
                    if (Double.isNaN(start) && board.hosts() == hosts) {
                        start = board.imbalance();
                    }
                    out.printf("t=%3ds  cluster demo  imbalance (sigma of host loads) %.4f%n%s%n",
                            Duration.ofNanos(elapsed).toSeconds(), board.imbalance(), board.render());
                    nextFrame = elapsed + Duration.ofSeconds(5).toNanos();
                }
            }
        }
        Map<StatsHealth, Integer> health = new EnumMap<>(StatsHealth.class);
        int vms = 0;
        for (Collector c : collectors) {
            var report = c.lastReport();
            if (report.isPresent()) {
                vms += report.get().vms().size();
                report.get().healthCounts().forEach((h, n) -> health.merge(h, n, Integer::sum));
            }
        }
        long sent = metrics.stream().mapToLong(CollectorMetrics::samplesSent).sum();
        long lost = metrics.stream().mapToLong(CollectorMetrics::samplesLost).sum();
        return new Summary(board.hosts(), vms, sent, lost, Double.isNaN(start) ? board.imbalance() : start,
                board.imbalance(), health);
    }
}
