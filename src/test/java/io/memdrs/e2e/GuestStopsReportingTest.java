package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.Confidence;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.Collector;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: a real guest stops reporting balloon statistics, two ways, through the whole path (lab libvirtd + QEMU,
 * collector, broker, stream app). The cluster is set up so that the engine keeps recommending to move the reporting
 * guest {@code memdrs-lab-ok} off the small real host (the recommendations are never executed and expire after
 * {@value #LIFETIME_SECONDS} s, so each expiry invites the next one).
 * <ol>
 *   <li>QEMU stops asking the guest behind libvirt's back (the stats period stays 2 s, {@code last_update}
 *       freezes): the collector marks the guest STALE within 3 periods of its last report; the stream app then
 *       counts it at its conservative bound (LOW confidence) and recommends no move of it, round after round.</li>
 *   <li>The guest reports again: OK, HIGH, and recommended again.</li>
 *   <li>The stats period is set to 0 live ({@code virsh dommemstat --period 0 --live}): the guest falls silent
 *       the same way, and within the same 3 periods the collector, re-reading the live XML of a late guest, names
 *       the cause, STATS_PERIOD_DISABLED (it precedes STALE in DESIGN's order); the engine again stops moving it.</li>
 * </ol>
 */
@Tag("integration")
class GuestStopsReportingTest {
    private static final String CLUSTER = "lab-stale";
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int PERIOD_SECONDS = Lab.STATS_PERIOD_SECONDS;
    private static final int LIFETIME_SECONDS = 6;
    private static final long REAL_CAPACITY_KIB = 1024 * 1024;
    /** Long enough for the live recommendation made before the fault to expire twice over, and rounds to run. */
    private static final Duration QUARANTINE = Duration.ofSeconds(3L * LIFETIME_SECONDS);
    /**
     * The latest a silent guest may still count as reporting, after its last report: 3 periods (DESIGN's
     * {@code now - last_update > 3 x period}), plus 1 s because {@code last_update} has whole seconds, plus the
     * wait for the next poll and 1 s for the poll's own libvirt calls and scheduling on a busy machine.
     */
    private static final long UNTRUSTED_WITHIN_MILLIS = 3L * PERIOD_SECONDS * 1000 + 1000 + POLL.toMillis() + 1000;
    private static final Pattern LAST_UPDATE = Pattern.compile("last_update (\\d+) at epoch-ms (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    private String bootstrap;
    private int httpPort;

    @Test
    void shouldStopMovingAGuestOnceItStopsReportingAndMoveItAgainOnceItReports() throws Exception {
        Lab lab = Lab.readyOrSkip();
        long realMemory = Virsh.nodeMemStatsTotalKiB(Lab.URI);
        String testDriverUri = LabCluster.testDriverNode(work.resolve("td-1.xml"));
        httpPort = LoopbackPorts.free();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            bootstrap = broker.bootstrapServers();
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 2, (short) 1);
            }
            StreamConfig streamConfig = StreamConfig.from(ConfigSource.of(Map.of("stream.application-id", CLUSTER,
                    "stream.state-dir", work.resolve("state").toString(), "stream.http.port", Integer.toString(httpPort),
                    "kafka.bootstrap.servers", bootstrap)));
            DrsSettings drs = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "2s", "drs.hold", "0s",
                    "drs.demand.half-life", "1s", "drs.demand.peak-window", "0s",
                    "drs.recommendation.lifetime", LIFETIME_SECONDS + "s")));
            boolean statsStopped = false;
            boolean periodChanged = false;
            try (StreamApp app = new StreamApp(streamConfig, drs);
                 Collector real = LabCluster.collector(broker, CLUSTER, "real-1", Lab.URI, POLL,
                         realMemory - REAL_CAPACITY_KIB);
                 Collector testDriver = LabCluster.collector(broker, CLUSTER, "td-1", testDriverUri, POLL, 0)) {
                app.start();
                assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
                real.start();
                testDriver.start();

                // Reporting: the engine wants the guest off the small real host, again each time a recommendation expires.
                List<MigrationRecommendation> before = awaitRecommendationsOfOk(0, 2, Duration.ofSeconds(120));
                before.forEach(r -> assertEquals(Confidence.HIGH, r.getConfidence(), r::toString));

                // Fault 1: QEMU stops asking the guest; libvirt still says period 2 s.
                Lab.Run stop = lab.guestStats(Lab.OK, true);
                statsStopped = true;
                assertTrue(stop.succeeded(), stop::describe);
                Matcher frozen = LAST_UPDATE.matcher(stop.output());
                assertTrue(frozen.find(), stop::describe);
                long lastReportMillis = Long.parseLong(frozen.group(1)) * 1000;
                long stoppedAt = Long.parseLong(frozen.group(2));
                JsonNode stale = awaitVm(row -> "STALE".equals(row.path("health").asText()), Duration.ofSeconds(30),
                        "STALE in the stream app's model");
                long staleSeenAt = System.currentTimeMillis();
                Thread.sleep(QUARANTINE.toMillis()); // rounds run meanwhile; what they decide is checked below
                List<MigrationRecommendation> duringStale = recommendationsOfOkAfter(staleSeenAt);
                List<BalanceReport> roundsDuringStale = reportsAfter(staleSeenAt);
                JsonNode staleRow = vmRow(Lab.OK);

                Lab.Run resume = lab.guestStats(Lab.OK, false);
                statsStopped = false;
                assertTrue(resume.succeeded(), resume::describe);
                long resumedAt = System.currentTimeMillis();
                awaitVm(row -> "OK".equals(row.path("health").asText()), Duration.ofSeconds(30), "OK again");
                List<MigrationRecommendation> afterResume = awaitRecommendationsOfOk(resumedAt, 1, Duration.ofSeconds(60));

                // Fault 2: the stats period is set to 0 live.
                Virsh.run("-c", Lab.URI, "dommemstat", Lab.OK, "--period", "0", "--live");
                periodChanged = true;
                long disabledAt = System.currentTimeMillis();
                awaitVm(row -> "STATS_PERIOD_DISABLED".equals(row.path("health").asText()), Duration.ofSeconds(30),
                        "STATS_PERIOD_DISABLED in the stream app's model");
                long disabledSeenAt = System.currentTimeMillis();
                Thread.sleep(QUARANTINE.toMillis());
                List<MigrationRecommendation> duringDisabled = recommendationsOfOkAfter(disabledSeenAt);
                List<BalanceReport> roundsDuringDisabled = reportsAfter(disabledSeenAt);
                JsonNode disabledRow = vmRow(Lab.OK);
                Virsh.run("-c", Lab.URI, "dommemstat", Lab.OK, "--period", Integer.toString(PERIOD_SECONDS), "--live");
                periodChanged = false;

                List<VmMemorySample> samples = TopicContents.readAll(bootstrap, Topics.VM_SAMPLES,
                        AvroSerde.of(VmMemorySample.class), Duration.ofSeconds(30)).stream()
                        .filter(s -> s.getVmName().equals(Lab.OK)).toList();
                VmMemorySample firstStale = first(samples, s -> s.getSampleTimeMillis() > stoppedAt
                        && s.getHealth() == StatsHealth.STALE);
                long staleAfterLastReport = firstStale.getSampleTimeMillis() - lastReportMillis;
                long okAfterStop = samples.stream().filter(s -> s.getSampleTimeMillis() > stoppedAt
                        && s.getSampleTimeMillis() < firstStale.getSampleTimeMillis()).count();
                long notStaleWhileStopped = samples.stream().filter(s -> s.getSampleTimeMillis()
                        >= firstStale.getSampleTimeMillis() && s.getSampleTimeMillis() < resumedAt
                        && s.getHealth() != StatsHealth.STALE).count();
                VmMemorySample firstDisabled = first(samples, s -> s.getSampleTimeMillis() > disabledAt
                        && s.getHealth() != StatsHealth.OK);
                long disabledAfterLastReport = firstDisabled.getSampleTimeMillis()
                        - firstDisabled.getLastUpdateEpochSeconds() * 1000;
                VmMemorySample staleSample = first(samples,
                        s -> s.getSampleTimeMillis() == staleRow.path("lastSampleMillis").asLong());

                System.out.printf("injected: QEMU stopped polling %s at %d (its last report %d); resumed at %d; "
                        + "stats period set to 0 live at %d%n", Lab.OK, stoppedAt, lastReportMillis, resumedAt, disabledAt);
                System.out.printf("counted: %d recommendations of it before; STALE %d ms after its last report "
                                + "(limit %d ms), %d OK samples in between, %d samples not STALE after; "
                                + "%d rounds and %d recommendations of it while STALE (demand %d KiB = bound, LOW); "
                                + "%d recommendations of it after it reported again; %s %d ms after its last report, "
                                + "then %d rounds and %d recommendations of it%n",
                        before.size(), staleAfterLastReport, UNTRUSTED_WITHIN_MILLIS, okAfterStop,
                        notStaleWhileStopped, roundsDuringStale.size(), duringStale.size(),
                        staleRow.path("demandKiB").asLong(), afterResume.size(),
                        firstDisabled.getHealth(), disabledAfterLastReport, roundsDuringDisabled.size(),
                        duringDisabled.size());

                assertTrue(staleAfterLastReport <= UNTRUSTED_WITHIN_MILLIS,
                        "STALE " + staleAfterLastReport + " ms after the last report: " + firstStale);
                assertTrue(firstStale.getHint().contains("last_update"), firstStale.getHint());
                assertEquals(0, notStaleWhileStopped, "STALE until the guest reports again");
                assertEquals("LOW", stale.path("confidence").asText(), stale::toString);
                assertFalse(stale.path("usable").asBoolean(), stale::toString);
                assertEquals(bound(staleSample), staleRow.path("demandKiB").asLong(),
                        "a STALE guest counts at max(RSS, allocation), not at what it last reported: " + staleRow);
                assertTrue(roundsDuringStale.size() >= 5, "rounds ran while it was STALE: " + roundsDuringStale.size());
                assertEquals(List.of(), duringStale, "no move of a guest whose statistics are STALE");
                assertFalse(afterResume.isEmpty(), "trusted again, moved again");
                assertEquals(Confidence.HIGH, afterResume.get(0).getConfidence());

                assertEquals(StatsHealth.STATS_PERIOD_DISABLED, firstDisabled.getHealth(),
                        "the collector re-reads the XML of a late guest and names the cause: " + firstDisabled);
                assertTrue(disabledAfterLastReport <= UNTRUSTED_WITHIN_MILLIS,
                        "untrusted " + disabledAfterLastReport + " ms after its last report: " + firstDisabled);
                assertTrue(firstDisabled.getHint().contains("enable-stats"), firstDisabled.getHint());
                assertEquals("LOW", disabledRow.path("confidence").asText(), disabledRow::toString);
                assertTrue(roundsDuringDisabled.size() >= 5, "rounds: " + roundsDuringDisabled.size());
                assertEquals(List.of(), duringDisabled, "no move of a guest whose statistics are disabled");
            } finally {
                if (statsStopped) {
                    lab.guestStats(Lab.OK, false);
                }
                if (periodChanged) {
                    Virsh.run("-c", Lab.URI, "dommemstat", Lab.OK, "--period", Integer.toString(PERIOD_SECONDS), "--live");
                }
            }
        }
    }

    private static long bound(VmMemorySample sample) {
        return Math.max(sample.getRssKiB() == null ? 0 : sample.getRssKiB(), sample.getCurrentMemoryKiB());
    }

    private static VmMemorySample first(List<VmMemorySample> samples, Predicate<VmMemorySample> which) {
        return samples.stream().filter(which).findFirst()
                .orElseThrow(() -> new AssertionError("no such sample of " + Lab.OK + " among " + samples.size()));
    }

    /** Reads the recommendations topic until {@code count} recommendations of memdrs-lab-ok made after {@code since}. */
    private List<MigrationRecommendation> awaitRecommendationsOfOk(long since, int count, Duration timeout) {
        List<MigrationRecommendation> all = Records.readUntil(bootstrap, Topics.RECOMMENDATIONS,
                AvroSerde.of(MigrationRecommendation.class),
                seen -> ofOkAfter(seen, since).size() >= count, timeout);
        List<MigrationRecommendation> ofOk = ofOkAfter(all, since);
        assertTrue(ofOk.size() >= count, () -> "waited " + timeout + " for " + count + " recommendations of " + Lab.OK
                + "; got " + ofOk + "; model: " + vmRow(Lab.OK));
        return ofOk;
    }

    private List<MigrationRecommendation> recommendationsOfOkAfter(long since) {
        return ofOkAfter(TopicContents.readAll(bootstrap, Topics.RECOMMENDATIONS,
                AvroSerde.of(MigrationRecommendation.class), Duration.ofSeconds(30)), since);
    }

    private static List<MigrationRecommendation> ofOkAfter(List<MigrationRecommendation> recs, long since) {
        return recs.stream().filter(r -> r.getVmName().equals(Lab.OK) && r.getCreatedAtMillis() > since).toList();
    }

    private List<BalanceReport> reportsAfter(long since) {
        return TopicContents.readAll(bootstrap, Topics.BALANCE_REPORTS, AvroSerde.of(BalanceReport.class),
                Duration.ofSeconds(30)).stream().filter(r -> r.getCluster().equals(CLUSTER)
                && r.getCreatedAtMillis() > since).toList();
    }

    /** Asks the stream app's API for memdrs-lab-ok's row until {@code done} holds. */
    private JsonNode awaitVm(Predicate<JsonNode> done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode row;
        do {
            row = vmRow(Lab.OK);
            if (done.test(row)) {
                return row;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("waited " + timeout + " for " + Lab.OK + ": " + what + "; last " + row);
    }

    /** {@code GET /clusters/{cluster}/vms}, the row of VM {@code name} (a missing node while not there yet). */
    private JsonNode vmRow(String name) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/clusters/" + CLUSTER + "/vms")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return JSON.missingNode();
            }
            for (JsonNode row : JSON.readTree(response.body()).path("vms")) {
                if (row.path("name").asText().equals(name)) {
                    return row;
                }
            }
            return JSON.missingNode();
        } catch (IOException e) {
            return JSON.missingNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
