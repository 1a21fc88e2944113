package io.memdrs.stream.http;

import static io.memdrs.stream.http.StateFixture.GIB;
import static io.memdrs.stream.http.StateFixture.cluster;
import static io.memdrs.stream.http.StateFixture.control;
import static io.memdrs.stream.http.StateFixture.host;
import static io.memdrs.stream.http.StateFixture.migration;
import static io.memdrs.stream.http.StateFixture.point;
import static io.memdrs.stream.http.StateFixture.recommendation;
import static io.memdrs.stream.http.StateFixture.vm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.config.ConfigSource;
import io.memdrs.stream.config.DrsSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewsTest {
    static final long NOW = 1_700_000_000_000L;
    static final String C = "c1";
    static final String FIX = "set <stats period='10'/> or run: memdrs-collector enable-stats";

    private final DrsSettings settings = DrsSettings.from(ConfigSource.of(Map.of("drs.high-watermark", "0.75")));

    /** h1 hot, h2 and h3 cool, h4 silent for an hour, h5 in maintenance; one VM with frozen statistics. */
    static ClusterData data() {
        long fresh = NOW - 1_000;
        long old = NOW - 3_600_000;
        return new ClusterData(C, cluster(C, 7, point(NOW - 2_000, 0.30, 0.20, 1), point(NOW - 1_000, 0.20, 0.20, 0)),
                List.of(host(C, "h1", 64, 4, fresh, 48, 6, 6), host(C, "h2", 64, 4, fresh, 10, 2, 1),
                        host(C, "h3", 64, 4, fresh, 12, 1, 1), host(C, "h4", 64, 0, old, 4, 1, 1),
                        host(C, "h5", 64, 4, fresh, 0, 0, 0)),
                List.of(vm(C, "a1", "h1", 8, fresh, "OK", "ok"), vm(C, "a2", "h1", 8, fresh, "OK", "ok"),
                        vm(C, "a3", "h1", 8, fresh, "OK", "ok"), vm(C, "a4", "h1", 8, fresh, "OK", "ok"),
                        vm(C, "a5", "h1", 8, fresh, "OK", "ok"), vm(C, "a6", "h1", 8, fresh, "OK", "ok"),
                        vm(C, "b1", "h2", 8, fresh, "OK", "ok"),
                        vm(C, "b2", "h2", 2, fresh, "STATS_PERIOD_DISABLED", FIX),
                        vm(C, "c1", "h3", 12, fresh, "OK", "ok"), vm(C, "d1", "h4", 4, old, "OK", "ok")),
                List.of(control(C, "maintenance/h5", ControlType.HOST_MAINTENANCE, List.of(), List.of("h5")),
                        control(C, "aa", ControlType.ANTI_AFFINITY, List.of("a1", "a2"), List.of()),
                        control(C, "aa-gone", ControlType.ANTI_AFFINITY, List.of("a3", "d1"), List.of()),
                        control(C, "pin", ControlType.VM_HOST_AFFINITY, List.of("c1"), List.of("h3", "h4")),
                        control(C, "keep", ControlType.DO_NOT_MOVE, List.of("a6"), List.of())),
                List.of(recommendation(C, 7, 1, NOW + 60_000), recommendation(C, 6, 1, NOW - 1)),
                List.of(migration(C, "b1", "h1", "h2", MigrationStatus.SUCCEEDED, NOW - 900_000, 10_000, 16_384,
                                20_000, 8_192),
                        migration(C, "a5", "h1", "h3", MigrationStatus.FAILED, NOW - 800_000, 10_000, 16_384, 0, 0),
                        migration(C, "b2", "h1", "h2", MigrationStatus.SUCCEEDED, NOW - 700_000, 15_000, 8_192,
                                12_000, 4_096)));
    }

    @Test
    void shouldShowEachHostsLoadStateAndTheImbalanceOfTheActiveHosts() {
        HostsView view = HostsView.of(data(), settings, NOW);
        assertEquals(List.of("h1", "h2", "h3", "h4", "h5"), view.hosts().stream().map(HostsView.Row::host).toList());
        assertEquals(List.of("ACTIVE", "ACTIVE", "ACTIVE", "UNKNOWN", "MAINTENANCE"),
                view.hosts().stream().map(HostsView.Row::state).toList());
        HostsView.Row h1 = view.hosts().get(0);
        assertEquals(0.8, h1.load(), 1e-9);
        assertEquals(60 * GIB, h1.capacityKiB());
        assertTrue(h1.aboveHighWatermark());
        assertEquals(1, view.hosts().get(1).vmsWithUntrustedStats());
        double[] loads = {48 / 60.0, 10 / 60.0, 12 / 60.0};
        double mean = (loads[0] + loads[1] + loads[2]) / 3;
        double sigma = Math.sqrt(((loads[0] - mean) * (loads[0] - mean) + (loads[1] - mean) * (loads[1] - mean)
                + (loads[2] - mean) * (loads[2] - mean)) / 3);
        assertEquals(sigma, view.imbalance(), 1e-9);
        assertEquals(0.75, view.highWatermark());
        assertEquals(0.10, view.targetImbalance(), 1e-9);
    }

    @Test
    void shouldListEveryVmWithHealthAndHintAndCountTheUnusableOnes() {
        VmsView view = VmsView.of(data(), settings, NOW);
        assertEquals(10, view.vms().size());
        assertEquals(1, view.unusable());
        assertEquals(Map.of("OK", 9, "STATS_PERIOD_DISABLED", 1), view.health());
        VmsView.Row frozen = view.vms().stream().filter(v -> v.uuid().equals("b2")).findFirst().orElseThrow();
        assertFalse(frozen.usable());
        assertEquals("LOW", frozen.confidence());
        assertEquals(FIX, frozen.hint());
        assertEquals("h2", frozen.host());
        VmsView.Row pinned = view.vms().stream().filter(v -> v.uuid().equals("a6")).findFirst().orElseThrow();
        assertFalse(pinned.movable());
        VmsView.Row silent = view.vms().stream().filter(v -> v.uuid().equals("d1")).findFirst().orElseThrow();
        assertTrue(silent.stale());
    }

    @Test
    void shouldLeaveExpiredRecommendationsOutAndKeepEveryContractField() {
        RecommendationsView view = RecommendationsView.of(data(), NOW);
        assertEquals(1, view.recommendations().size());
        JsonNode r = view.recommendations().get(0);
        assertEquals("c1:7:1", r.get("id").asText());
        assertEquals("BALANCE", r.get("reason").asText());
        assertEquals("imbalance", r.get("trigger").get("metric").asText());
        assertEquals("h3", r.get("rejectedAlternatives").get(0).get("targetHost").asText());
        assertTrue(r.get("explanation").asText().startsWith("move vm-a1"));
        assertEquals(io.memdrs.avro.MigrationRecommendation.getClassSchema().getFields().size(), r.size(),
                "every field of MigrationRecommendation: " + r);
    }

    @Test
    void shouldGiveTheImbalanceOfRecentRoundsOldestFirst() {
        HistoryView view = HistoryView.of(data(), settings);
        assertEquals(7, view.round());
        assertEquals(List.of(0.30, 0.20), view.points().stream().map(HistoryView.Point::imbalanceBefore).toList());
    }

    @Test
    void shouldWriteNullForTheTargetOfMandatoryOnlyLevel() {
        DrsSettings level1 = DrsSettings.from(ConfigSource.of(Map.of("drs.migration-threshold", "1")));
        assertNull(HistoryView.of(data(), level1).targetImbalance());
        assertNull(SettingsView.of(level1, "x:1").targetImbalance());
    }

    @Test
    void shouldListFinishedMigrationsNewestFirstWithPredictedBesideActual() {
        MigrationsView view = MigrationsView.of(data());
        assertEquals(2, view.succeeded());
        assertEquals(1, view.failed());
        assertEquals(List.of("b2", "a5", "b1"), view.migrations().stream().map(MigrationsView.Row::vmUuid).toList());
        MigrationsView.Row newest = view.migrations().get(0);
        assertEquals(15_000, newest.predictedDurationMillis());
        assertEquals(12_000L, newest.durationMillis());
        assertEquals(0.8, newest.durationRatio(), 1e-9);
        assertEquals(4_096L << 20, newest.transferredBytes());
        assertEquals(0.5, newest.bytesRatio(), 1e-9);
        assertEquals(200L, newest.downtimeMillis());
        assertEquals(3L, newest.memoryIterations());
        assertNull(newest.error());
        MigrationsView.Row failed = view.migrations().get(1);
        assertEquals("FAILED", failed.status());
        assertEquals("libvirt: Unable to read from monitor", failed.error());
        assertNull(failed.transferredBytes(), "no job statistics: nothing measured");
        assertNull(failed.bytesRatio());
        assertEquals(1_000L, failed.durationMillis(), "from STARTED to the end when libvirt gave no elapsed time");
    }

    @Test
    void shouldCalibrateOnlyThePairsWithAMeasuredMigration() {
        MigrationsView view = MigrationsView.of(data());
        assertEquals(1, view.pairs().size(), "h1→h3 only failed: " + view.pairs());
        MigrationsView.Pair pair = view.pairs().get(0);
        assertEquals(List.of("h1", "h2", 2), List.of(pair.source(), pair.target(), pair.measured()));
        assertEquals((8_192 + 4_096) / 32.0, pair.mibPerSecond(), 1e-6, "sent / elapsed over both");
        assertEquals((8_192 + 4_096) / 32_768.0, pair.bytesSentPerByte(), 1e-9, "sent / 2 × 16 GiB");
        assertEquals(15_000, pair.lastPredictedDurationMillis());
        assertEquals(12_000, pair.lastDurationMillis());
    }

    @Test
    void shouldSummariseAClusterForTheClusterList() {
        ClusterSummary summary = ClusterSummary.of(data(), settings, NOW, "10.0.0.1:8080");
        assertEquals(5, summary.hosts());
        assertEquals(3, summary.activeHosts());
        assertEquals(10, summary.vms());
        assertEquals(1, summary.unusableVms());
        assertEquals(1, summary.liveRecommendations());
        assertEquals(7, summary.round());
        assertEquals("10.0.0.1:8080", summary.instance());
    }
}
