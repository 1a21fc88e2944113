package io.memdrs.engine;

import static io.memdrs.engine.TestCluster.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Broken should rules are repaired when that costs no balance; the explanation says so. */
class ShouldRuleRepairTest {
    private final Policy policy = Policy.defaults();

    private static Rule shouldSpread(String id, String... vms) {
        return new Rule(id, RuleType.ANTI_AFFINITY, List.of(vms), List.of(), false);
    }

    @Test
    void shouldRepairABrokenShouldRuleInABalancedClusterWhenTheMoveDoesNotRaiseTheImbalance() {
        // balanced (σ under the target), but web-1 and web-2 share h1; moving web-2 to the emptier h2 costs nothing
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100)
                .vm("web-1", "h1", 10).vm("web-2", "h1", 2).vm("db", "h1", 40).vm("x", "h2", 48)
                .rule(shouldSpread("web", "web-1", "web-2")).build();
        Plan p = plan(s, policy);
        assertEquals(1, p.planMoves(), p.toString());
        Recommendation r = p.recommendations().get(0);
        assertEquals("web-2 h1→h2", r.vmName() + " " + r.source() + "→" + r.target());
        assertTrue(r.explanation().startsWith("Repair should anti-affinity rule web: move web-2 from h1 to h2, which"
                + " costs no balance"), r.explanation());
        assertTrue(r.imbalanceAfter() <= r.imbalanceBefore() + 1e-12);
    }

    @Test
    void shouldLeaveTheRuleBrokenWithANoteWhenEveryRepairWouldRaiseTheImbalance() {
        // h2 is fuller than h1: moving either web VM there raises σ
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100)
                .vm("web-1", "h1", 10).vm("web-2", "h1", 10).vm("x", "h2", 30)
                .rule(shouldSpread("web", "web-1", "web-2")).build();
        Plan p = plan(s, policy);
        assertEquals(0, p.planMoves(), p.toString());
        assertTrue(p.notes().stream().anyMatch(n -> n.startsWith("should rule web stays broken")), p.notes().toString());
    }
}
