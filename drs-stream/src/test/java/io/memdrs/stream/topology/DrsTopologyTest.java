package io.memdrs.stream.topology;

import static io.memdrs.stream.topology.ClusterFixture.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.HostState;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.avro.MoveReason;
import io.memdrs.avro.RoundOutcome;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.config.ConfigSource;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.topics.DeadLetter;
import io.memdrs.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DrsTopologyTest {
    private static final String C = "c1";
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

    private final StreamSerdes serdes = StreamSerdes.standard();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> vmIn;
    private TestInputTopic<String, byte[]> hostIn;
    private TestInputTopic<String, byte[]> controlIn;
    private TestInputTopic<String, byte[]> migrationIn;
    private TestOutputTopic<String, byte[]> loadsOut;
    private TestOutputTopic<String, byte[]> recsOut;
    private TestOutputTopic<String, byte[]> reportsOut;
    private TestOutputTopic<String, byte[]> deadOut;
    private long now = START.toEpochMilli();

    private void start(Map<String, String> drs) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(DrsTopology.build(DrsSettings.from(ConfigSource.of(drs)), serdes), props, START);
        vmIn = driver.createInputTopic(Topics.VM_SAMPLES, new StringSerializer(), new ByteArraySerializer());
        hostIn = driver.createInputTopic(Topics.HOST_SAMPLES, new StringSerializer(), new ByteArraySerializer());
        controlIn = driver.createInputTopic(Topics.CONTROL, new StringSerializer(), new ByteArraySerializer());
        migrationIn = driver.createInputTopic(Topics.MIGRATION_EVENTS, new StringSerializer(), new ByteArraySerializer());
        loadsOut = driver.createOutputTopic(Topics.HOST_LOAD, new StringDeserializer(), new ByteArrayDeserializer());
        recsOut = driver.createOutputTopic(Topics.RECOMMENDATIONS, new StringDeserializer(), new ByteArrayDeserializer());
        reportsOut = driver.createOutputTopic(Topics.BALANCE_REPORTS, new StringDeserializer(), new ByteArrayDeserializer());
        deadOut = driver.createOutputTopic(Topics.DEAD_LETTERS, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void startDefault() {
        start(Map.of("drs.round.interval", "60s", "drs.hold", "0s", "drs.cooldown", "10m"));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(VmMemorySample s) {
        vmIn.pipeInput(s.getCluster(), serdes.vmSample().encode(s), s.getSampleTimeMillis());
    }

    private void send(HostMemorySample s) {
        hostIn.pipeInput(s.getCluster(), serdes.hostSample().encode(s), s.getSampleTimeMillis());
    }

    /** One poll of every host: VM samples first, then the host sample, as a collector sends them. */
    private void poll(Map<String, List<long[]>> vmsByHost, long hostGiB) {
        new java.util.TreeMap<>(vmsByHost).forEach((host, vms) -> {
            for (long[] vm : vms) {
                send(ClusterFixture.vm(C, host, "u" + vm[0], vm[1], now));
            }
            send(ClusterFixture.host(C, host, hostGiB, now));
        });
    }

    /** Polls every 10 s for {@code d}, as live collectors do, letting wall-clock rounds fire in between. */
    private void pollFor(Duration d, Map<String, List<long[]>> vmsByHost, long hostGiB) {
        for (long t = 0; t < d.toSeconds(); t += 10) {
            poll(vmsByHost, hostGiB);
            advance(Duration.ofSeconds(10));
        }
    }

    private void advance(Duration d) {
        now += d.toMillis();
        driver.advanceWallClockTime(d);
    }

    private List<HostLoad> loads() {
        return loadsOut.readValuesToList().stream().map(serdes.hostLoad()::decode).toList();
    }

    private List<MigrationRecommendation> recommendations() {
        return recsOut.readValuesToList().stream().map(serdes.recommendation()::decode).toList();
    }

    private List<BalanceReport> reports() {
        return reportsOut.readValuesToList().stream().map(serdes.balanceReport()::decode).toList();
    }

    private static HostLoad last(List<HostLoad> loads, String host) {
        return loads.stream().filter(l -> l.getHost().equals(host)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void shouldRunEachClustersRoundOneIntervalAfterItsLastWhateverTheJitterOfTheTicks() {
        startDefault();
        java.util.Random jitter = new java.util.Random(3);
        long began = now;
        // Ticks a second apart, each up to 400 ms late or early, for ten minutes; samples every 10 s.
        for (int s = 0; s < 600; s++) {
            if (s % 10 == 0) {
                poll(Map.of("h1", List.of(new long[] {1, 4})), 64);
            }
            advance(Duration.ofMillis(1000 + jitter.nextInt(801) - 400));
        }
        List<Long> at = reports().stream().map(BalanceReport::getCreatedAtMillis).toList();
        assertTrue(at.size() == 9 || at.size() == 10, "a round a minute, the first a minute after the cluster was first seen: " + at);
        assertTrue(at.get(0) - began >= 59_500 && at.get(0) - began <= 61_500, "first round at " + (at.get(0) - began));
        for (int i = 1; i < at.size(); i++) {
            long gap = at.get(i) - at.get(i - 1);
            assertTrue(gap >= 59_000 && gap <= 61_500, "rounds an interval apart, give or take a tick: " + gap);
        }
    }

    @Test
    void shouldSumTheDemandOfAHostsVmsIntoItsLoad() {
        startDefault();
        poll(Map.of("h1", List.of(new long[] {1, 4}, new long[] {2, 12})), 64);
        HostLoad load = last(loads(), "h1");
        assertEquals(16 * GIB, load.getDemandKiB());
        assertEquals(2, load.getVmCount());
        assertEquals(0.25, load.getLoad(), 1e-9);
    }

    @Test
    void shouldMoveAVmsDemandWhenItShowsUpOnAnotherHost() {
        startDefault();
        poll(Map.of("h1", List.of(new long[] {1, 8}), "h2", List.of(new long[] {2, 4})), 64);
        advance(Duration.ofSeconds(10));
        poll(Map.of("h2", List.of(new long[] {1, 8}, new long[] {2, 4})), 64);
        send(ClusterFixture.host(C, "h1", 64, now));
        List<HostLoad> loads = loads();
        assertEquals(0, last(loads, "h1").getDemandKiB());
        assertEquals(0, last(loads, "h1").getVmCount());
        assertEquals(12 * GIB, last(loads, "h2").getDemandKiB());
        assertEquals(2, last(loads, "h2").getVmCount());
    }

    private void send(MigrationEvent e) {
        migrationIn.pipeInput(e.getCluster(), serdes.migrationEvent().encode(e), e.getAtMillis());
    }

    @Test
    void shouldMoveAVmAtOnceWhenTheMigrationServiceReportsItsMigrationSucceeded() {
        startDefault();
        poll(Map.of("h1", List.of(new long[] {1, 8}), "h2", List.of(new long[] {2, 4})), 64);
        long polledBefore = now;
        advance(Duration.ofSeconds(5));
        send(ClusterFixture.migration(C, "u1", "h1", "h2", MigrationStatus.SUCCEEDED, now, 8 * GIB * 1024, 4_000));
        send(ClusterFixture.vm(C, "h1", "u1", 8, polledBefore + 1)); // polled on h1 before the move, arriving late
        send(ClusterFixture.host(C, "h1", 64, now));
        send(ClusterFixture.host(C, "h2", 64, now));
        List<HostLoad> loads = loads();
        assertEquals(0, last(loads, "h1").getVmCount(), "the event moved it; the late sample from h1 did not move it back");
        assertEquals(12 * GIB, last(loads, "h2").getDemandKiB());
        advance(Duration.ofSeconds(10));
        poll(Map.of("h2", List.of(new long[] {1, 8}, new long[] {2, 4})), 64);
        send(ClusterFixture.host(C, "h1", 64, now));
        assertEquals(12 * GIB, last(loads(), "h2").getDemandKiB(), "the sample from its new host counts it once");
    }

    @Test
    void shouldKeepBalanceOffAFailedTargetAndPredictFromTheMeasuredMigrations() {
        start(Map.of("drs.round.interval", "60s", "drs.hold", "0s"));
        Map<String, List<long[]>> skewed = Map.of(
                "h1", List.of(new long[] {1, 8}, new long[] {2, 8}, new long[] {3, 8}, new long[] {4, 8}),
                "h2", List.of(new long[] {5, 2}), "h3", List.of(new long[] {6, 2}));
        send(ClusterFixture.migration(C, "u9", "h1", "h2", MigrationStatus.FAILED, now, 0, 0));
        // 8 GiB sent in 16 s (512 MiB/s) for a VM whose size libvirt does not say: the model's size of u5 is 16 GiB
        send(ClusterFixture.migration(C, "u5", "h1", "h3", MigrationStatus.SUCCEEDED, now, 8 * GIB * 1024, 16_000));
        pollFor(Duration.ofSeconds(60), skewed, 64);
        List<MigrationRecommendation> recs = recommendations();
        assertFalse(recs.isEmpty(), reports().toString());
        for (MigrationRecommendation r : recs) {
            assertEquals("h3", r.getTargetHost(), "h2 failed a minute ago: " + r.getExplanation());
            assertEquals(8 * GIB * 1024, r.getPredictedBytes(), 1024, "16 GiB VMs, 0.5 bytes sent per byte, as measured");
            assertEquals(16_000, r.getPredictedDurationMillis(), 10, "8 GiB at 512 MiB/s");
            assertTrue(r.getExplanation().contains("(predicted 16 s, from 1 earlier migration h1→h3: 512 MiB/s, "
                    + "0.50 bytes sent per byte)"), r.getExplanation());
        }
        assertTrue(recs.get(0).getRejectedAlternatives().stream().anyMatch(a -> a.getReason().contains(
                "a migration into h2 failed")), recs.get(0).getRejectedAlternatives().toString());
    }

    @Test
    void shouldDeadLetterAMigrationEventThatCannotHaveHappened() {
        startDefault();
        send(ClusterFixture.migration(C, "u1", "h1", "h1", MigrationStatus.SUCCEEDED, now, 1, 1));
        List<TestRecord<String, byte[]>> dead = deadOut.readRecordsToList();
        assertEquals(1, dead.size());
        assertTrue(new String(dead.get(0).headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8)
                .contains("same host h1"));
    }

    @Test
    void shouldTreatAHostNotHeardFromForThreePollPeriodsAsUnknown() {
        startDefault();
        poll(Map.of("h1", List.of(new long[] {1, 8}), "h2", List.of(new long[] {2, 8})), 64);
        advance(Duration.ofSeconds(20));
        poll(Map.of("h1", List.of(new long[] {1, 8})), 64);
        advance(Duration.ofSeconds(20));
        poll(Map.of("h1", List.of(new long[] {1, 8})), 64);
        loads();
        advance(Duration.ofSeconds(20)); // 60 s: the round runs; h2 last heard 60 s ago > 3 x 10 s
        List<HostLoad> loads = loads();
        assertEquals(HostState.UNKNOWN, last(loads, "h2").getState());
        assertEquals(HostState.ACTIVE, last(loads, "h1").getState());
        BalanceReport report = reports().get(0);
        assertTrue(report.getNotes().stream().anyMatch(n -> n.contains("h2 unknown")), report.getNotes().toString());
    }

    @Test
    void shouldEvacuateAHostInMaintenanceWithPriorityOne() {
        startDefault();
        controlIn.pipeInput(C, serdes.control().encode(ClusterFixture.maintenance(C, "h1", true)), now);
        pollFor(Duration.ofSeconds(60), Map.of("h1", List.of(new long[] {1, 4}, new long[] {2, 4}),
                "h2", List.of(new long[] {3, 4}), "h3", List.of(new long[] {4, 4})), 64);
        List<MigrationRecommendation> recs = recommendations();
        assertEquals(2, recs.size(), recs.toString());
        for (MigrationRecommendation r : recs) {
            assertEquals("h1", r.getSourceHost());
            assertFalse(r.getTargetHost().equals("h1"));
            assertEquals(1, r.getPriority());
            assertEquals(MoveReason.MAINTENANCE_EVACUATION, r.getReason());
        }
        assertEquals(List.of(C + ":1:1", C + ":1:2"), recs.stream().map(MigrationRecommendation::getId).toList());
        assertEquals(HostState.MAINTENANCE, last(loads(), "h1").getState());
    }

    @Test
    void shouldCorrectAMustAntiAffinityViolation() {
        startDefault();
        controlIn.pipeInput(C, serdes.control().encode(ClusterFixture.antiAffinity(C, "db", "u1", "u2")), now);
        pollFor(Duration.ofSeconds(60), Map.of("h1", List.of(new long[] {1, 4}, new long[] {2, 4}),
                "h2", List.of(new long[] {3, 4})), 64);
        List<MigrationRecommendation> recs = recommendations();
        assertEquals(1, recs.size(), recs.toString());
        assertEquals(MoveReason.RULE_VIOLATION, recs.get(0).getReason());
        assertEquals("h2", recs.get(0).getTargetHost());
    }

    @Test
    void shouldHoldBalancingUntilTheImbalanceHasLastedTheHoldTime() {
        start(Map.of("drs.round.interval", "60s", "drs.hold", "3m"));
        Map<String, List<long[]>> skewed = Map.of(
                "h1", List.of(new long[] {1, 8}, new long[] {2, 8}, new long[] {3, 8}, new long[] {4, 8}),
                "h2", List.of(new long[] {5, 2}));
        pollFor(Duration.ofMinutes(5), skewed, 64);
        List<BalanceReport> reports = reports();
        assertEquals(RoundOutcome.HOLDING, reports.get(0).getOutcome(), reports.get(0).getSummary());
        assertTrue(reports.get(0).getSummary().contains("hold"), reports.get(0).getSummary());
        BalanceReport acting = reports.stream().filter(r -> r.getOutcome() == RoundOutcome.MOVES_RECOMMENDED)
                .findFirst().orElseThrow(() -> new AssertionError("no round acted: " + reports));
        assertTrue(acting.getRound() >= 4, "acted in round " + acting.getRound() + ", before 3 minutes of hold");
    }

    @Test
    void shouldRunARoundAtOnceWhenAHostGoesOverTheOverloadThreshold() {
        start(Map.of("drs.round.interval", "1h", "drs.hold", "0s", "drs.overload.threshold", "0.9"));
        poll(Map.of("h1", List.of(new long[] {1, 4}, new long[] {2, 4}, new long[] {3, 4}, new long[] {4, 4}),
                "h2", List.of(new long[] {5, 4}, new long[] {6, 4}, new long[] {7, 4}, new long[] {8, 4})), 64);
        assertTrue(reports().isEmpty(), "no round while calm");
        advance(Duration.ofSeconds(1));
        poll(Map.of("h1", List.of(new long[] {1, 15}, new long[] {2, 15}, new long[] {3, 15}, new long[] {4, 15})), 64);
        List<BalanceReport> reports = reports();
        assertEquals(1, reports.size(), "one round, at once");
        assertTrue(reports.get(0).getNotes().stream().anyMatch(n -> n.contains("overload threshold")), reports.get(0).getNotes().toString());
        List<MigrationRecommendation> recs = recommendations();
        assertFalse(recs.isEmpty(), reports.get(0).getSummary() + " " + reports.get(0).getNotes());
        assertEquals(MoveReason.OVERLOAD, recs.get(0).getReason());
    }

    @Test
    void shouldPlanLaterRoundsAsIfLiveRecommendationsHadBeenExecuted() {
        start(Map.of("drs.round.interval", "60s", "drs.hold", "0s", "drs.recommendation.lifetime", "10m"));
        Map<String, List<long[]>> skewed = Map.of(
                "h1", List.of(new long[] {1, 8}, new long[] {2, 8}, new long[] {3, 8}, new long[] {4, 8},
                        new long[] {5, 8}, new long[] {6, 8}),
                "h2", List.of(new long[] {7, 2}), "h3", List.of(new long[] {8, 2}));
        pollFor(Duration.ofMinutes(3), skewed, 64); // nobody executes the moves: the VMs stay on h1
        List<MigrationRecommendation> recs = recommendations();
        List<BalanceReport> reports = reports();
        assertTrue(reports.size() >= 3, "rounds: " + reports.size());
        assertFalse(recs.isEmpty());
        assertTrue(recs.stream().allMatch(r -> r.getRound() == 1), "later rounds re-answered the same imbalance: "
                + recs.stream().map(MigrationRecommendation::getId).toList());
    }

    @Test
    void shouldNotMoveVmsWhoseStatisticsCannotBeTrusted() {
        startDefault();
        for (int i = 0; i < 6; i++) {
            send(ClusterFixture.vm(C, "h1", "u1", 12, now, StatsHealth.STATS_PERIOD_DISABLED));
            send(ClusterFixture.vm(C, "h1", "u2", 12, now, StatsHealth.NEVER_REPORTED));
            send(ClusterFixture.host(C, "h1", 64, now));
            send(ClusterFixture.host(C, "h2", 64, now));
            advance(Duration.ofSeconds(10));
        }
        assertTrue(recommendations().isEmpty());
        HostLoad h1 = last(loads(), "h1");
        assertEquals(0, h1.getVmsWithTrustedStats());
        assertEquals(2, h1.getVmsWithUntrustedStats());
        assertEquals(32 * GIB, h1.getDemandKiB(), "untrusted VMs count at max(RSS, allocation)");
    }

    @Test
    void shouldSendEveryUnreadableRecordToTheDeadLettersWithItsReason() {
        startDefault();
        byte[] good = serdes.vmSample().encode(ClusterFixture.vm(C, "h1", "u1", 4, now));
        byte[] unknownFingerprint = good.clone();
        unknownFingerprint[4] ^= 0x55;
        VmMemorySample absurd = ClusterFixture.vm(C, "h1", "u9", 4, now);
        absurd.setUsageKiB((1L << 50) + 1);
        HostMemorySample negative = ClusterFixture.host(C, "h1", 64, now);
        negative.setMemoryKiB(-1);
        VmMemorySample future = ClusterFixture.vm(C, "h1", "u8", 4, now + Duration.ofDays(1).toMillis());
        vmIn.pipeInput(C, "not avro at all".getBytes(StandardCharsets.UTF_8), now);
        vmIn.pipeInput(C, new byte[0], now);
        vmIn.pipeInput(C, Arrays.copyOf(good, good.length - 5), now);
        vmIn.pipeInput(C, unknownFingerprint, now);
        vmIn.pipeInput(C, serdes.vmSample().encode(absurd), now);
        hostIn.pipeInput(C, serdes.hostSample().encode(negative), now);
        vmIn.pipeInput(C, serdes.vmSample().encode(future), now);
        vmIn.pipeInput(C, good, now);

        List<TestRecord<String, byte[]>> dead = deadOut.readRecordsToList();
        List<String> failures = dead.stream().map(r -> DeadLetter.header(r.headers(), DeadLetter.FAILURE)).toList();
        assertEquals(List.of("BAD_MAGIC", "TRUNCATED_HEADER", "TRUNCATED_BODY", "UNKNOWN_FINGERPRINT",
                "INVALID_VALUE", "INVALID_VALUE", "INVALID_VALUE"), failures);
        for (TestRecord<String, byte[]> r : dead) {
            assertTrue(DeadLetter.header(r.headers(), DeadLetter.REASON).length() > 10);
            assertTrue(DeadLetter.header(r.headers(), DeadLetter.TOPIC).startsWith("memdrs."));
            assertTrue(DeadLetter.header(r.headers(), DeadLetter.OFFSET).matches("\\d+"));
        }
        assertEquals(7.0, driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("dead-letter-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum());
        // the good record went on into the model
        send(ClusterFixture.host(C, "h1", 64, now));
        assertEquals(4 * GIB, last(loads(), "h1").getDemandKiB());
    }

    @Test
    void shouldSendARecordNotKeyedByItsClusterToTheDeadLettersAndLeaveTheModelAlone() {
        startDefault();
        VmMemorySample keyedByVm = ClusterFixture.vm(C, "h1", "u1", 4, now);
        vmIn.pipeInput(keyedByVm.getVmUuid(), serdes.vmSample().encode(keyedByVm), now);
        hostIn.pipeInput(null, serdes.hostSample().encode(ClusterFixture.host(C, "h2", 64, now)), now);
        controlIn.pipeInput("another-cluster", serdes.control().encode(ClusterFixture.maintenance(C, "h1", true)), now);

        List<TestRecord<String, byte[]>> dead = deadOut.readRecordsToList();
        assertEquals(List.of("KEY_MISMATCH", "KEY_MISMATCH", "KEY_MISMATCH"),
                dead.stream().map(r -> DeadLetter.header(r.headers(), DeadLetter.FAILURE)).toList());
        assertEquals("key 'u1' is not the record's cluster '" + C + "': memdrs topics are keyed by cluster id",
                DeadLetter.header(dead.get(0).headers(), DeadLetter.REASON));
        assertEquals("u1", dead.get(0).key(), "the original key is kept");
        assertTrue(loads().isEmpty(), "the refused host sample made no host load");
        send(ClusterFixture.host(C, "h1", 64, now));
        assertEquals(0, last(loads(), "h1").getDemandKiB(), "the refused VM sample counts nowhere");
    }
}
