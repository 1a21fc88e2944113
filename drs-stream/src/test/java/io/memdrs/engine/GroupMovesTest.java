package io.memdrs.engine;

import static io.memdrs.engine.TestCluster.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A must affinity group moves for balance as one unit: together, to one target, in one wave. */
class GroupMovesTest {
    private final Policy policy = Policy.defaults();

    @Test
    void shouldMoveAMustAffinityGroupTogetherInOneWaveWhenThatBalancesBest() {
        // h1 at 80 % holds the pair (a, b: 30 GiB together) and c (50 GiB); moving the pair balances best
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).host("h3", 100)
                .vm("a", "h1", 15).vm("b", "h1", 15).vm("c", "h1", 50).vm("x", "h2", 10).vm("y", "h3", 10)
                .rule(Rule.affinity("pair", "a", "b")).build();
        Plan p = plan(s, policy);
        List<Recommendation> all = p.waves().stream().flatMap(w -> w.recommendations().stream()).toList();
        List<Recommendation> pair = all.stream().filter(r -> r.vmName().equals("a") || r.vmName().equals("b")).toList();
        assertEquals(2, pair.size(), all.toString());
        assertEquals(pair.get(0).target(), pair.get(1).target());
        assertEquals(1, all.indexOf(pair.get(1)) - all.indexOf(pair.get(0)), "adjacent: " + all);
        assertTrue(p.waves().stream().anyMatch(w -> w.recommendations().containsAll(pair)), "one wave: " + p.waves());
        assertTrue(pair.get(0).explanation().contains("together with") && pair.get(0).explanation()
                .contains("must affinity pair"), pair.get(0).explanation());
    }

    @Test
    void shouldKeepTheGroupWhereItIsWhenNoHostTakesAllOfItBelowTheWatermark() {
        // each VM of the pair fits h2 alone, but not both (45 + 2 × 25 > 90)
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100)
                .vm("a", "h1", 25).vm("b", "h1", 25).vm("c", "h1", 40).vm("x", "h2", 45)
                .rule(Rule.affinity("pair", "a", "b")).build();
        Plan p = plan(s, policy);
        assertTrue(p.waves().stream().flatMap(w -> w.recommendations().stream())
                .noneMatch(r -> r.vmName().equals("a") || r.vmName().equals("b")), p.waves().toString());
    }
}
