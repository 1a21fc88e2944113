package io.memdrs.demo;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.StatsHealth;
import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.libvirt.LibvirtConnector;
import io.memdrs.collector.libvirt.LibvirtUnavailableException;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole loop on one machine: an embedded KRaft broker, a fleet of libvirt test-driver hosts whose guest memory
 * drifts, one collector per host, the stream app, and a demo migration executor that carries out each
 * recommendation, so the collectors observe the move and the imbalance falls. The console shows host load bars,
 * the imbalance over time and every recommendation with its explanation.
 */
public final class Demo {
    /** What the demo saw, for the summary. */
    /** How long the demo waits for the first host load before it stops. */
    static final Duration NO_HOST_DEADLINE = Duration.ofSeconds(30);

    public record Summary(int hosts, int vms, long samplesSent, long samplesLost, int rounds, int moves,
                          double imbalanceStart, double imbalanceEnd, Map<StatsHealth, Integer> health) {}

    /** Decision settings that make the loop visible within a minute (production: DrsSettings defaults). */
    static final Map<String, String> DEMO_DRS = Map.of(
            "drs.round.interval", "8s", "drs.hold", "8s", "drs.demand.half-life", "10s",
            "drs.demand.peak-window", "12s", "drs.cooldown", "60s", "drs.no-return-window", "120s",
            "drs.max-moves-per-round", "3", "drs.recommendation.lifetime", "30s");

    private final int hostCount;
    private final int vmsPerHost;
    private final Duration duration;
    private final Path workDir;
    private final PrintStream out;
    private final int httpPort;

    public Demo(int hosts, int vmsPerHost, Duration duration, Path workDir, PrintStream out, int httpPort) {
        this.httpPort = httpPort;
        this.hostCount = hosts;
        this.vmsPerHost = vmsPerHost;
        this.duration = duration;
        this.workDir = workDir;
        this.out = out;
    }

    public Summary run() throws Exception {
        Files.createDirectories(workDir);
        out.printf("memdrs demo: %d hosts x %d VMs for %d s (work dir %s)%n", hostCount, vmsPerHost,
                duration.toSeconds(), workDir);
        List<Collector> collectors = new ArrayList<>();
        List<CollectorMetrics> metrics = new ArrayList<>();
        List<DemoHost> hosts = new ArrayList<>();
        ScheduledExecutorService drift = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "demo-drift"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(workDir.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 4, (short) 1);
            }
            out.printf("broker: embedded KRaft on %s%n", broker.bootstrapServers());
            StreamConfig streamConfig = StreamConfig.from(ConfigSource.of(Map.of(
                    "stream.application-id", "memdrs-demo", "stream.state-dir", workDir.resolve("state").toString(),
                    "stream.http.port", Integer.toString(httpPort), "kafka.bootstrap.servers", broker.bootstrapServers())));
            try (StreamApp app = new StreamApp(streamConfig, DrsSettings.from(ConfigSource.of(DEMO_DRS)))) {
                app.start();
                if (httpPort > 0) {
                    out.printf("dashboard: http://127.0.0.1:%d/  (JSON API under /clusters, metrics at /metrics)%n", httpPort);
                }
                for (FleetGenerator.Host spec : FleetGenerator.generate(hostCount, vmsPerHost, 42)) {
                    Path node = workDir.resolve(spec.name() + ".xml");
                    Files.writeString(node, FleetGenerator.nodeXml(spec));
                    DemoHost host = new DemoHost(spec.name(), node, new LibvirtConnector("test://" + node.toAbsolutePath(),
                            false, Duration.ofSeconds(5), Clock.systemUTC()));
                    hosts.add(host);
                    CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of(
                            "collector.cluster", "demo", "collector.host", spec.name(),
                            "collector.libvirt.uri", host.uri(), "collector.poll.interval", "2s",
                            "collector.metrics.port", "0", "collector.host.reserved-kib", Long.toString(2L * 1024 * 1024),
                            "kafka.bootstrap.servers", broker.bootstrapServers())));
                    CollectorMetrics m = new CollectorMetrics(new SimpleMeterRegistry(), "demo");
                    SamplePublisher publisher = new SamplePublisher(config.kafka(), config.vmTopic(), config.hostTopic(),
                            config.outageTolerance(), config.bufferRecords(), m);
                    Collector collector = new Collector(config, m, publisher, Clock.systemUTC(), host.connector());
                    collectors.add(collector);
                    metrics.add(m);
                    collector.start();
                }
                LoadDrifter drifter = new LoadDrifter(hosts, 7);
                drift.scheduleAtFixedRate(() -> {
                    try {
                        drifter.tick();
                    } catch (LibvirtUnavailableException | RuntimeException e) {
                        out.println("drift failed: " + e.getMessage());
                    }
                }, 3, 3, TimeUnit.SECONDS);
                out.printf("collectors: %d polling every 2 s; decision rounds every %s; memory drifts every 3 s%n%n",
                        collectors.size(), DEMO_DRS.get("drs.round.interval"));
                return watch(broker.bootstrapServers(), hosts, collectors, metrics);
            } finally {
                drift.shutdownNow();
                collectors.forEach(Collector::close);
            }
        }
    }

    private Summary watch(String bootstrap, List<DemoHost> hosts, List<Collector> collectors,
                          List<CollectorMetrics> metrics) {
        Map<String, DemoHost> byName = new HashMap<>();
        hosts.forEach(h -> byName.put(h.name(), h));
        AvroSerde<HostLoad> loads = AvroSerde.of(HostLoad.class);
        AvroSerde<MigrationRecommendation> recs = AvroSerde.of(MigrationRecommendation.class);
        AvroSerde<BalanceReport> reports = AvroSerde.of(BalanceReport.class);
        TestDriverMigrator migrator = new TestDriverMigrator(bootstrap);
        AvroSerde<io.memdrs.avro.MigrationEvent> events = AvroSerde.of(io.memdrs.avro.MigrationEvent.class);
        Map<String, Integer> eventsByStatus = new java.util.TreeMap<>();
        LoadBoard board = new LoadBoard();
        double start = Double.NaN;
        int rounds = 0;
        int moves = 0;
        StringBuilder sigmaLine = new StringBuilder();
        long began = System.nanoTime();
        long nextFrame = Duration.ofSeconds(5).toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "memdrs-demo-view",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer()); migrator) {
            consumer.subscribe(List.of(Topics.HOST_LOAD, Topics.RECOMMENDATIONS, Topics.BALANCE_REPORTS,
                    Topics.MIGRATION_EVENTS));
            while (System.nanoTime() - began < duration.toNanos()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    switch (record.topic()) {
                        case Topics.HOST_LOAD -> board.update(loads.decode(record.value()));
                        case Topics.BALANCE_REPORTS -> {
                            BalanceReport report = reports.decode(record.value());
                            rounds++;
                            if (Double.isNaN(start) && report.getHostCount() == hostCount) {
                                start = report.getImbalanceBefore();
                            }
                            sigmaLine.append(String.format(" %.3f", report.getImbalanceBefore()));
                            out.printf("round %d: %s (imbalance %.3f, target %.3f)%n", report.getRound(),
                                    report.getOutcome(), report.getImbalanceBefore(), report.getTargetImbalance());
                        }
                        case Topics.RECOMMENDATIONS -> moves += execute(recs.decode(record.value()), byName, migrator);
                        case Topics.MIGRATION_EVENTS -> eventsByStatus.merge(events.decode(record.value()).getStatus()
                                .name(), 1, Integer::sum);
                        default -> { }
                    }
                }
                long elapsed = System.nanoTime() - began;
                if (board.hosts() == 0 && elapsed > NO_HOST_DEADLINE.toNanos()) {
                    out.printf("%nno host has reported in %d s: the collectors cannot read their libvirt test-driver "
                            + "hosts; stopping instead of running empty rounds (details in %s)%n",
                            NO_HOST_DEADLINE.toSeconds(), workDir.resolve("memdrs-demo.log"));
                    break;
                }
                if (elapsed >= nextFrame && board.hosts() > 0) {
                    out.printf("%nt=%3ds  cluster demo  imbalance (sigma of host loads) %.3f%n%s  sigma by round:%s%n%n",
                            Duration.ofNanos(elapsed).toSeconds(), board.imbalance(), board.render(), sigmaLine);
                    nextFrame = elapsed + Duration.ofSeconds(10).toNanos();
                }
            }
        }
        out.printf("migration events on %s: %s%n", Topics.MIGRATION_EVENTS, eventsByStatus);
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
        return new Summary(board.hosts(), vms, sent, lost, rounds, moves,
                Double.isNaN(start) ? board.imbalance() : start, board.imbalance(), health);
    }

    private int execute(MigrationRecommendation rec, Map<String, DemoHost> hosts, TestDriverMigrator migrator) {
        if (rec.getExpiresAtMillis() < System.currentTimeMillis()) {
            out.printf("  skip %s: expired%n", rec.getId());
            migrator.skipped(rec, "expired at " + rec.getExpiresAtMillis());
            return 0;
        }
        try {
            boolean moved = migrator.migrate(rec, hosts.get(rec.getSourceHost()), hosts.get(rec.getTargetHost()));
            out.printf("  %s %s %s -> %s [P%d %s] %s%n", moved ? "moved" : "skip (not on source)", rec.getVmName(),
                    rec.getSourceHost(), rec.getTargetHost(), rec.getPriority(), rec.getReason(), rec.getExplanation());
            return moved ? 1 : 0;
        } catch (LibvirtUnavailableException e) {
            out.printf("  failed to move %s: %s%n", rec.getVmName(), e.getMessage());
            return 0;
        }
    }
}
