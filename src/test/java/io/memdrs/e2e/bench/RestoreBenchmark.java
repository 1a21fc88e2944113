package io.memdrs.e2e.bench;

import io.memdrs.avro.BalanceReport;
import io.memdrs.e2e.reliability.JvmProcess;
import io.memdrs.e2e.reliability.ProjectFiles;
import io.memdrs.e2e.reliability.PropertiesFile;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.schemas.bench.Stats;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How fast the stream app is back after a hard kill at 100,000 VMs (1,000 clusters): the app runs as operators run
 * it ({@code java -Xmx512m -jar memdrs-stream.jar run}, its own JVM, exactly-once v2, static group membership so
 * that the restarted instance takes its partitions back at once), takes in two polls of every VM, runs rounds every
 * 5 s, and is SIGKILLed; a new JVM on an empty state directory (everything restored from the changelogs) is started
 * at once. Timed from the relaunch: the first committed balance report, and a committed report of every cluster.
 * The baseline, in the same run, is the first start: from launch to a report of every cluster, with the same
 * samples and nothing to restore but an empty model. The 512 MiB heap limit of the app holds throughout.
 *
 * <p>Run: {@code deploy/bin/memdrs bench restore} (args: {@code [repeats] [scale]}).
 */
public final class RestoreBenchmark {
    private static final int PARTITIONS = 4;

    private RestoreBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        System.out.print(run(repeats, scale, Path.of("target", "bench", "restore-" + System.currentTimeMillis())));
    }

    public static String run(int repeats, double scale, Path work) throws Exception {
        int vms = Math.max(10, (int) (100_000 * scale));
        int clusters = Math.max(1, (int) (1_000 * scale));
        double[] firstStart = new double[repeats];
        double[] firstReport = new double[repeats];
        double[] allReports = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            Path dir = work.resolve("run-" + r);
            Files.createDirectories(dir);
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"))) {
                try (Admin admin = broker.admin()) {
                    TopicPlan.createMissing(admin, PARTITIONS, (short) 1);
                }
                // Two polls, the newest just now: no VM goes stale before the restarted app's first round.
                PipelineBenchmark.produce(broker.bootstrapServers(), vms, clusters, 2, System.currentTimeMillis() - 10_000);
                String appId = "restore-" + UUID.randomUUID();
                long launched = System.nanoTime();
                long launchedMillis = System.currentTimeMillis();
                JvmProcess first = start(dir, appId, "state-1", broker, 1);
                try (KafkaConsumer<String, byte[]> reports = reportReader(broker)) {
                    awaitReports(reports, clusters, launchedMillis, first, "first start");
                    firstStart[r] = (System.nanoTime() - launched) / 1e9;
                    Thread.sleep(6_000); // at least one more round: the kill falls in the app's steady state
                    first.kill();
                    long relaunchedMillis = System.currentTimeMillis();
                    JvmProcess second = start(dir, appId, "state-2", broker, 2);
                    try {
                        double[] times = awaitReports(reports, clusters, relaunchedMillis, second, "restart");
                        firstReport[r] = times[0];
                        allReports[r] = times[1];
                    } finally {
                        second.kill();
                    }
                }
            }
        }
        var start = Stats.of(firstStart);
        var one = Stats.of(firstReport);
        var all = Stats.of(allReports);
        return String.format("Hard kill at %,d VMs / %,d clusters, %d repeats (median, min-max), app JVM -Xmx512m%n"
                + "| measure | seconds |%n|---|---|%n"
                + "| first start: launch to a report of every cluster (baseline) | %s |%n"
                + "| after SIGKILL: relaunch to the first committed report | %s |%n"
                + "| after SIGKILL: relaunch to a committed report of every cluster | %s |%n"
                + "restore-result vms=%d first-start=%.1f first-report=%.1f all-reports=%.1f%n",
                vms, clusters, repeats, seconds(start), seconds(one), seconds(all), vms, start.median(),
                one.median(), all.median());
    }

    private static String seconds(Stats s) {
        return String.format("%.1f (%.1f-%.1f)", s.median(), s.min(), s.max());
    }

    private static JvmProcess start(Path dir, String appId, String stateDir, EmbeddedKafkaBroker broker, int life)
            throws Exception {
        Path config = PropertiesFile.write(dir.resolve("stream-" + life + ".properties"), Map.ofEntries(
                Map.entry("stream.application-id", appId),
                Map.entry("stream.state-dir", dir.resolve(stateDir).toString()),
                Map.entry("stream.http.port", "0"),
                Map.entry("kafka.bootstrap.servers", broker.bootstrapServers()),
                Map.entry("drs.round.interval", "5s"),
                // Static membership: the restarted instance is the same member and gets its tasks back without
                // waiting for the killed one's session to time out.
                Map.entry("streams.group.instance.id", "restore-bench-instance"),
                Map.entry("streams.session.timeout.ms", "30000")));
        return JvmProcess.start("stream app " + life, ProjectFiles.streamJar(), List.of("-Xmx512m",
                "-XX:TieredStopAtLevel=4"), dir.resolve("stream-" + life + ".log"), "run", "--config", config.toString());
    }

    private static KafkaConsumer<String, byte[]> reportReader(EmbeddedKafkaBroker broker) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restore-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.BALANCE_REPORTS));
        return consumer;
    }

    /** Seconds from now-ish to the first committed report created after {@code sinceMillis}, and to one per cluster. */
    private static double[] awaitReports(KafkaConsumer<String, byte[]> consumer, int clusters, long sinceMillis,
                                         JvmProcess app, String what) {
        AvroSerde<BalanceReport> serde = AvroSerde.of(BalanceReport.class);
        Set<String> seen = new HashSet<>();
        double first = -1;
        long began = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - sinceMillis);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (seen.size() < clusters) {
            if (System.nanoTime() > deadline || !app.isAlive()) {
                throw new IllegalStateException(what + ": " + seen.size() + " of " + clusters + " clusters reported"
                        + (app.isAlive() ? " in 5 minutes" : "; the app died:\n" + app.output()));
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                BalanceReport report = serde.decode(r.value());
                if (report.getCreatedAtMillis() >= sinceMillis && seen.add(report.getCluster()) && first < 0) {
                    first = (System.nanoTime() - began) / 1e9;
                }
            }
        }
        return new double[] {first, (System.nanoTime() - began) / 1e9};
    }
}
