package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.e2e.reliability.ReportWatcher.Kill;
import io.memdrs.e2e.reliability.ReportWatcher.Seen;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream app as operators run it ({@code java -jar memdrs-stream.jar run --config FILE}, exactly-once v2),
 * killed with SIGKILL twice, each time right after a decision round's output was sent and before it was committed,
 * and started again on the same state directory: the killed round's output is aborted, the state comes back from
 * the changelogs, and the committed record shows every round of every cluster exactly once, numbered 1, 2, 3, ...
 * with no gap, and no recommendation id twice.
 */
@Tag("integration")
class StreamAppHardKillTest {
    private static final List<String> CLUSTERS = List.of("kill-a", "kill-b");
    private static final int KILLS = 2;

    @TempDir
    static Path work;

    @Test
    void shouldRestoreStateAndNeitherLoseNorRepeatARoundAfterAHardKillMidRound() throws Exception {
        long began = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 2, (short) 1);
            }
            Path config = PropertiesFile.write(work.resolve("stream.properties"), Map.ofEntries(
                    Map.entry("stream.application-id", "kill-test"),
                    Map.entry("stream.state-dir", work.resolve("state").toString()),
                    Map.entry("stream.http.port", "0"),
                    Map.entry("kafka.bootstrap.servers", broker.bootstrapServers()),
                    Map.entry("drs.round.interval", "1s"), Map.entry("drs.hold", "0s"),
                    Map.entry("drs.recommendation.lifetime", "2s"), Map.entry("drs.cooldown", "0s"),
                    Map.entry("drs.no-return-window", "0s"),
                    // A round's output waits up to 2 s for its commit: the window the kill aims at.
                    Map.entry("streams.commit.interval.ms", "2000"),
                    // A killed member never says goodbye: the group notices after the session timeout.
                    Map.entry("streams.session.timeout.ms", "6000"),
                    Map.entry("streams.heartbeat.interval.ms", "1000")));

            List<Long> killTimes = new ArrayList<>();
            JvmProcess app = null;
            try (SkewedClusterFeed feed = new SkewedClusterFeed(broker.bootstrapServers(), CLUSTERS);
                 ReportWatcher watcher = new ReportWatcher(broker.bootstrapServers())) {
                long lifeBegan = 0;
                for (int life = 1; life <= KILLS + 1; life++) {
                    app = JvmProcess.start("stream app, life " + life, ProjectFiles.streamJar(), List.of(),
                            work.resolve("stream-" + life + ".log"), "run", "--config", config.toString());
                    JvmProcess running = app;
                    long since = lifeBegan;
                    Await.until("3 rounds per cluster from " + app.name(), Duration.ofSeconds(90), () -> {
                        assertTrue(running.isAlive(), running.name() + " died:\n" + running.output());
                        return CLUSTERS.stream().allMatch(c -> watcher.reportsAfter(c, since) >= 3);
                    });
                    if (life <= KILLS) {
                        int killsBefore = watcher.kills().size();
                        watcher.killOnNextReport(app);
                        Await.until("the kill of " + app.name(), Duration.ofSeconds(30),
                                () -> watcher.kills().size() > killsBefore);
                        lifeBegan = watcher.kills().get(killsBefore).killedAtMillis();
                        killTimes.add(lifeBegan);
                    }
                }
                int exit = app.stop();
                assertTrue(exit == 0 || exit == 143, "the last life stops on SIGTERM through its shutdown hook: " + exit);
                app = null;
                Kill first = watcher.kills().get(0);

                Map<String, List<BalanceReport>> committed = committedReports(broker);
                List<MigrationRecommendation> recommendations = committedRecommendations(broker);
                List<Seen> seen = watcher.seen();
                System.out.printf("hard kill: %d SIGKILLs of the stream app (pids %s), %d lives; %d reports seen "
                        + "uncommitted, %d committed, %d recommendations committed; %d s%n", KILLS,
                        watcher.kills().stream().map(k -> Long.toString(k.process().pid())).toList(), KILLS + 1,
                        seen.size(), committed.values().stream().mapToInt(List::size).sum(), recommendations.size(),
                        Await.secondsSince(began));

                int killedMidRound = 0;
                for (Kill kill : watcher.kills()) {
                    Seen cut = kill.lastReport();
                    BalanceReport redone = committed.get(cut.cluster()).stream()
                            .filter(r -> r.getRound() == cut.round()).findFirst().orElseThrow(
                                    () -> new AssertionError("round " + cut.round() + " of " + cut.cluster() + " lost"));
                    boolean aborted = redone.getCreatedAtMillis() != cut.createdAtMillis();
                    killedMidRound += aborted ? 1 : 0;
                    System.out.printf("hard kill: %s killed after sending round %d of %s: %s%n", kill.process().name(),
                            cut.round(), cut.cluster(), aborted
                                    ? "that output was aborted; round " + cut.round() + " redone by the next life, "
                                    + (redone.getCreatedAtMillis() - kill.killedAtMillis()) + " ms after the kill"
                                    : "its output had been committed just before the kill");
                }
                for (String cluster : CLUSTERS) {
                    List<Long> rounds = committed.get(cluster).stream().map(BalanceReport::getRound).toList();
                    long beforeFirstKill = committed.get(cluster).stream()
                            .filter(r -> r.getCreatedAtMillis() < first.killedAtMillis()).count();
                    System.out.printf("hard kill: %s committed rounds 1..%d (%d before the first kill)%n", cluster,
                            rounds.size(), beforeFirstKill);
                    for (int i = 0; i < rounds.size(); i++) {
                        assertEquals(i + 1L, rounds.get(i), cluster + ": every round once, in order, no gap: " + rounds);
                    }
                    for (long killedAt : killTimes) {
                        long firstAfter = committed.get(cluster).stream().filter(r -> r.getCreatedAtMillis() > killedAt)
                                .mapToLong(BalanceReport::getRound).min().orElseThrow(() -> new AssertionError(
                                        cluster + ": no round committed after the kill at " + killedAt));
                        long lastBefore = committed.get(cluster).stream().filter(r -> r.getCreatedAtMillis() < killedAt)
                                .mapToLong(BalanceReport::getRound).max().orElse(0);
                        assertEquals(lastBefore + 1, firstAfter, cluster + ": the restarted app numbers on from the "
                                + "state restored from the changelog");
                    }
                }
                Set<String> ids = new HashSet<>();
                for (MigrationRecommendation r : recommendations) {
                    assertTrue(ids.add(r.getId()), "recommendation id " + r.getId() + " committed twice");
                }
                assertTrue(recommendations.size() >= 4, "recommendations were made: " + recommendations.size());
                assertTrue(killedMidRound >= 1, "at least one kill fell between a round's output and its commit: "
                        + killedMidRound + " of " + KILLS);
                assertFalse(watcher.kills().stream().anyMatch(k -> k.process().isAlive()), "killed means dead");
            } finally {
                if (app != null) {
                    System.out.println("hard kill: last app output:\n" + app.output());
                    app.close();
                }
            }
        }
    }

    private static Map<String, List<BalanceReport>> committedReports(EmbeddedKafkaBroker broker) {
        AvroSerde<BalanceReport> serde = AvroSerde.of(BalanceReport.class);
        Map<String, List<BalanceReport>> byCluster = new HashMap<>();
        CLUSTERS.forEach(c -> byCluster.put(c, new ArrayList<>()));
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(broker.bootstrapServers(), Topics.BALANCE_REPORTS)) {
            BalanceReport report = serde.decode(r.value());
            byCluster.computeIfAbsent(report.getCluster(), c -> new ArrayList<>()).add(report);
        }
        return byCluster;
    }

    private static List<MigrationRecommendation> committedRecommendations(EmbeddedKafkaBroker broker) {
        AvroSerde<MigrationRecommendation> serde = AvroSerde.of(MigrationRecommendation.class);
        List<MigrationRecommendation> all = new ArrayList<>();
        KafkaReads.committed(broker.bootstrapServers(), Topics.RECOMMENDATIONS).forEach(r -> all.add(serde.decode(r.value())));
        return all;
    }
}
