package io.memdrs.engine;

import static io.memdrs.engine.TestCluster.moves;
import static io.memdrs.engine.TestCluster.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.engine.migrations.FinishedMigration;
import io.memdrs.engine.migrations.MigrationLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engine learns from the migrations the migration service reported. */
class MigrationLearningTest {
    private static final long GIB = TestCluster.GIB;
    private final Policy policy = Policy.defaults();

    /** h1 at 57 %, h2 and h3 at 10 %: a balance move from h1 to h2 or h3 (h2 first, by name). */
    private static Snapshot threeHosts() {
        return TestCluster.named("c1").host("h1", 100).host("h2", 100).host("h3", 100).vm("a", "h1", 27)
                .vm("b", "h1", 30).vm("c", "h2", 10).vm("d", "h3", 10).build();
    }

    private static FinishedMigration failedInto(String target, Duration ago) {
        return new FinishedMigration("x", "h1", target, false, ClusterGenerator.NOW.minus(ago), 4 * GIB, 0, 0,
                "libvirt: Unable to read from monitor: Connection reset by peer");
    }

    @Test
    void shouldKeepBalanceMovesOffATargetIntoWhichAMigrationJustFailed() {
        Plan free = plan(threeHosts(), policy);
        String usual = free.recommendations().get(0).target();
        String other = usual.equals("h2") ? "h3" : "h2";
        Snapshot penalised = threeHosts().withMigrations(MigrationLog.of(List.of(failedInto(usual, Duration.ofMinutes(4)))));
        Plan plan = plan(penalised, policy);
        assertEquals(other, plan.recommendations().get(0).target(), moves(plan).toString());
        assertTrue(plan.rejected().stream().anyMatch(r -> r.kind() == RejectionKind.RECENT_FAILURE
                        && r.reason().contains("a migration into " + usual + " failed 4 min ago (libvirt: Unable to read")
                        && r.reason().contains("no target for balance for 30 min")),
                plan.rejected().toString());
    }

    @Test
    void shouldTakeTheTargetAgainOnceThePenaltyIsOver() {
        Plan free = plan(threeHosts(), policy);
        Snapshot old = threeHosts().withMigrations(MigrationLog.of(List.of(
                failedInto(free.recommendations().get(0).target(), Duration.ofMinutes(31)))));
        assertEquals(moves(free), moves(plan(old, policy)));
    }

    @Test
    void shouldStillEvacuateIntoAPenalisedTargetWhenItIsTheOnlyOne() {
        Snapshot snapshot = TestCluster.named("c1").maintenanceHost("h1", 100).host("h2", 100).vm("a", "h1", 10)
                .build().withMigrations(MigrationLog.of(List.of(failedInto("h2", Duration.ofMinutes(1)))));
        Plan plan = plan(snapshot, policy);
        assertEquals(List.of("a h1→h2"), moves(plan), "correctness comes before stability");
    }

    @Test
    void shouldNotRetryAMandatoryMoveIntoTheTargetThatJustFailedThatVm() {
        FinishedMigration failedA = new FinishedMigration("a", "h1", "h2", false, ClusterGenerator.NOW.minusSeconds(5),
                10 * GIB, 0, 0, "libvirt: operation aborted");
        Snapshot onlyTarget = TestCluster.named("c1").maintenanceHost("h1", 100).host("h2", 100).vm("a", "h1", 10)
                .vm("b", "h1", 10).build().withMigrations(MigrationLog.of(List.of(failedA)));
        Plan plan = plan(onlyTarget, policy);
        assertEquals(List.of("b h1→h2"), moves(plan), "a waits; b may still go where a failed");
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("vm a stays on h1") && n.contains(
                "its migration into h2 failed 5 s ago (libvirt: operation aborted): not tried there again for 30 min")),
                plan.notes().toString());
        Snapshot another = TestCluster.named("c1").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .vm("a", "h1", 10).build().withMigrations(MigrationLog.of(List.of(failedA)));
        assertEquals(List.of("a h1→h3"), moves(plan(another, policy)), "another target takes it");
    }

    @Test
    void shouldCiteTheCalibrationOfTheHostPairInTheExplanation() {
        FinishedMigration earlier = new FinishedMigration("z", "h1", "h2", true, ClusterGenerator.NOW.minus(Duration.ofHours(3)),
                10 * GIB, 12L * GIB * 1024, 60_000, null); // 12 GiB sent for a 10 GiB VM in a minute
        Snapshot snapshot = TestCluster.named("c1").host("h1", 100).host("h2", 100).vm("a", "h1", 27).vm("b", "h1", 30)
                .vm("c", "h2", 10).build().withMigrations(MigrationLog.of(List.of(earlier)));
        Recommendation r = plan(snapshot, policy).recommendations().get(0);
        assertEquals(Math.round(27 * GIB * 1024 * 1.2), r.cost().bytes(), 2);
        assertEquals(162_000, r.cost().durationMillis(), 10, "27 GiB × 1.2 at 12 GiB a minute");
        assertTrue(r.explanation().endsWith("copies 27.0 GiB (predicted 2 min 42 s, from 1 earlier migration h1→h2: "
                + "205 MiB/s, 1.20 bytes sent per byte)"), r.explanation());
    }
}
