package io.memdrs.engine;

import static io.memdrs.engine.TestCluster.moves;
import static io.memdrs.engine.TestCluster.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopConditionTest {
    private final Policy policy = Policy.defaults().toBuilder().maxInflowPerHost(16).maxOutflowPerHost(16).build();

    @Test
    void shouldReportBalancedWhenImbalanceIsAtOrBelowTarget() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("a", "h1", 50).vm("b", "h2", 55)
                .build();
        Plan plan = plan(s, policy);
        assertEquals(Outcome.BALANCED, plan.outcome());
        assertTrue(plan.summary().startsWith("Balanced: imbalance 0.025 ≤ target 0.100 (level 3)"), plan.summary());
    }

    /** h1 with twenty 4 GiB VMs (80 %), h2 at 20 %: each move shifts 4 points, σ = |0.6 − 0.08 k| / 2. */
    private static Snapshot steps() {
        TestCluster t = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("x", "h2", 20);
        for (int i = 0; i < 20; i++) {
            t.vm(String.format("v%02d", i), "h1", 4);
        }
        return t.build();
    }

    @Test
    void shouldStopOnceImbalanceIsWithinTheLowerBand() {
        Plan plan = plan(steps(), policy);
        assertEquals(6, plan.recommendations().size(), "σ 0.10 after 5 moves is not yet ≤ 0.08");
        assertEquals(0.06, plan.imbalanceAfter(), 1e-9);
        Plan deeper = plan(steps(), policy.toBuilder().lowerBand(0.5).build());
        assertEquals(7, deeper.recommendations().size());
        assertEquals(0.02, deeper.imbalanceAfter(), 1e-9);
    }

    @Test
    void shouldReportNoImprovingMoveWhenTheBestGainIsBelowMinGoodness() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("a", "h1", 30).vm("b", "h1", 12)
                .vm("c", "h2", 20).build();
        assertEquals(List.of("b h1→h2"), moves(plan(s, policy)));
        Plan plan = plan(s, policy.toBuilder().minGoodness(0.05).build());
        assertEquals(Outcome.NO_IMPROVING_MOVE, plan.outcome());
        RejectedAlternative r = plan.rejected().get(0);
        assertEquals(RejectionKind.BELOW_MIN_GOODNESS, r.kind());
        assertEquals("improves hosts×σ² by only 0.0240 < MinGoodness 0.0500", r.reason());
    }

    @Test
    void shouldReportNoImprovingMoveWhenNoMoveLowersImbalance() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("a", "h1", 40).build();
        Plan plan = plan(s, policy);
        assertEquals(Outcome.NO_IMPROVING_MOVE, plan.outcome());
    }

    @Test
    void shouldReportInsufficientDataWithFewerThanTwoUsableHosts() {
        Snapshot s = TestCluster.named("c").host("h1", 100).maintenanceHost("h2", 100).vm("a", "h1", 40).build();
        Plan plan = plan(s, policy);
        assertEquals(Outcome.INSUFFICIENT_DATA, plan.outcome());
    }

    @Test
    void shouldReportInsufficientDataWhenMostDemandIsUntrusted() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).lowVm("a", "h1", 60).vm("b", "h1", 5)
                .vm("c", "h2", 10).build();
        Plan plan = plan(s, policy);
        assertEquals(Outcome.INSUFFICIENT_DATA, plan.outcome());
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("trusted statistics")), plan.notes().toString());
    }

    @Test
    void shouldMakeOnlyMandatoryMovesAtLevelOne() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h0", 100).host("h1", 100).host("h2", 100)
                .vm("m", "h0", 5).vm("a", "h1", 80).vm("b", "h2", 10).build();
        Plan plan = plan(s, policy.toBuilder().migrationThreshold(1).build());
        assertEquals(List.of("m h0→h2"), moves(plan));
        assertEquals(Double.POSITIVE_INFINITY, plan.targetImbalance());
    }

    @Test
    void shouldRelieveAnOverloadedHostEvenWhenImbalanceIsBelowTarget() {
        TestCluster t = TestCluster.named("c");
        for (int h = 1; h <= 5; h++) {
            t.host("h" + h, 100);
            for (int i = 0; i < (h == 1 ? 19 : 17); i++) {
                t.vm("h" + h + "-" + String.format("%02d", i), "h" + h, 5);
            }
        }
        Plan plan = plan(t.build(), policy);
        assertTrue(plan.imbalanceBefore() < plan.targetImbalance());
        assertEquals(1, plan.recommendations().size(), moves(plan).toString());
        Recommendation r = plan.recommendations().get(0);
        assertEquals(MoveReason.OVERLOAD, r.reason());
        assertEquals(2, r.priority());
        assertEquals("h1", r.source());
        assertEquals("host_load", r.trigger().metric());
        assertEquals(0.95, r.trigger().value(), 1e-12);
        assertEquals(0.90, r.targetLoadAfter(), 1e-12);
    }
}
