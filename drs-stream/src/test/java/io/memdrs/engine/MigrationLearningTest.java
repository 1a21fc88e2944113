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

    @Test
    void shouldNotMoveForBalanceAVmThatDirtiesMemoryFasterThanTheMigrationCopies() {
        // 12 GiB sent for a 10 GiB VM in a minute h1→h2: 205 MiB/s
        FinishedMigration measured = new FinishedMigration("z", "h1", "h2", true, ClusterGenerator.NOW.minus(Duration.ofHours(3)),
                10 * GIB, 12L * GIB * 1024, 60_000, null);
        long fast = 300L * 1024 * 1024;
        long slow = 100L * 1024 * 1024;
        Snapshot snapshot = new Snapshot("c1", List.of(new Host("h1", 100 * GIB, 0, false), new Host("h2", 100 * GIB, 0, false)),
                List.of(new Vm("a", "a", "h1", 27 * GIB, 27 * GIB, Confidence.HIGH, true, fast),
                        new Vm("b", "b", "h1", 30 * GIB, 30 * GIB, Confidence.HIGH, true, slow),
                        new Vm("c", "c", "h2", 10 * GIB, 10 * GIB, Confidence.HIGH, true)), List.of())
                .withMigrations(MigrationLog.of(List.of(measured)));
        Plan plan = plan(snapshot, policy);
        assertEquals(List.of("b h1→h2"), moves(plan), "a would be the better move, but would not converge");
        List<RejectedAlternative> why = plan.recommendations().get(0).rejectedAlternatives();
        assertTrue(why.stream().anyMatch(r -> r.vmUuid().equals("a") && r.kind() == RejectionKind.WONT_CONVERGE
                && r.reason().startsWith("dirties 300 MiB/s, as fast as a migration h1→h2 copies (205 MiB/s, from 1 "
                        + "earlier migration h1→h2")), why.toString());
        Snapshot evacuate = new Snapshot("c1", List.of(new Host("h1", 100 * GIB, 0, true), new Host("h2", 100 * GIB, 0, false)),
                List.of(new Vm("a", "a", "h1", 27 * GIB, 27 * GIB, Confidence.HIGH, true, fast)), List.of());
        assertEquals(List.of("a h1→h2"), moves(plan(evacuate, policy)), "a mandatory move goes anyway");
    }

    /**
     * Random small clusters with random dirty rates and a random history of measured and failed migrations: every
     * plan keeps the hard constraints ({@link PlanVerifier}: no balance move into a penalised target, no VM retried
     * into the target that failed it, no balance move that would not converge, each move's cost the log's prediction).
     */
    @Test
    void shouldKeepEveryMigrationRuleWhateverTheHistoryAndDirtyRates() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(16);
        int withFailures = 0;
        for (long seed = 0; seed < 1_500; seed++) {
            Snapshot base = ClusterGenerator.small(seed);
            List<String> hosts = base.hosts().stream().map(Host::name).toList();
            List<Vm> vms = new java.util.ArrayList<>();
            for (Vm v : base.vms()) {
                long dirty = switch (rnd.nextInt(4)) {
                    case 0 -> -1;
                    case 1 -> 0;
                    case 2 -> rnd.nextLong(1, 50L << 20);
                    default -> rnd.nextLong(50L << 20, 4L << 30);
                };
                vms.add(new Vm(v.uuid(), v.name(), v.host(), v.demandKiB(), v.sizeKiB(), v.confidence(), v.movable(), dirty));
            }
            List<FinishedMigration> log = new java.util.ArrayList<>();
            for (int i = rnd.nextInt(12); i > 0 && hosts.size() > 1; i--) {
                String s = hosts.get(rnd.nextInt(hosts.size()));
                String t = hosts.get(rnd.nextInt(hosts.size()));
                if (s.equals(t)) {
                    continue;
                }
                String vm = vms.get(rnd.nextInt(vms.size())).uuid();
                java.time.Instant at = ClusterGenerator.NOW.minusSeconds(rnd.nextLong(1, 7_200));
                long size = rnd.nextLong(1, 64) * GIB;
                log.add(rnd.nextBoolean()
                        ? new FinishedMigration(vm, s, t, true, at, size, (long) (size * 1024 * (0.2 + rnd.nextDouble() * 3)),
                                rnd.nextLong(100, 600_000), null)
                        : new FinishedMigration(vm, s, t, false, at, size, 0, 0, "libvirt: failed"));
            }
            withFailures += log.stream().anyMatch(m -> !m.succeeded()) ? 1 : 0;
            Snapshot snapshot = new Snapshot(base.cluster(), base.hosts(), vms, base.rules(), base.history(),
                    base.triggers(), MigrationLog.of(log));
            plan(snapshot, ClusterGenerator.smallPolicy(seed, false)); // throws with the broken constraint
        }
        assertTrue(withFailures > 500, "the generator made failures: " + withFailures);
    }
}
