package io.memdrs.engine;

import static io.memdrs.engine.TestCluster.plan;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the whole plan cannot reach the target, the notes name each hot host's binding constraint and the fix. */
class BlockingReportTest {
    private final Policy policy = Policy.defaults();

    @Test
    void shouldNameVmsLargerThanAnyHeadroomAndHowMuchMoreWouldLetOneGo() {
        // h1 at 99 % with three 33 GiB VMs; h2 and h3 at 60 %: 30 GiB of headroom each below the 90 % watermark
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).host("h3", 100)
                .vm("a", "h1", 33).vm("b", "h1", 33).vm("c", "h1", 33)
                .vm("x", "h2", 60).vm("y", "h3", 60).build();
        Plan p = plan(s, policy);
        assertTrue(p.planMoves() == 0, p.toString());
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("h1 (99.0 %") && n.contains("3 larger than any target's"
                + " headroom below the watermark") && n.contains("needs 33.0 GiB")
                && n.contains("the most headroom below the watermark is 30.0 GiB on h2")
                && n.contains("3.0 GiB more headroom on one host would let it go")), p.notes().toString());
    }

    @Test
    void shouldCountVmsInCooldownAndPinnedOnesAsTheirOwnReason() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100)
                .vm("a", "h1", 30).pinnedVm("b", "h1", 30).vm("c", "h1", 20).vm("x", "h2", 10)
                .moved("a", Duration.ofMinutes(10), "h2").moved("c", Duration.ofMinutes(5), "h2").build();
        Plan p = plan(s, policy);
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("keeps its 3 VMs") && n.contains("2 in cooldown")
                && n.contains("1 marked do-not-move")), p.notes().toString());
    }

    @Test
    void shouldSayHowMuchHeadroomAStuckEvacuationNeeds() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .vm("big", "h1", 60).vm("small", "h1", 5).vm("x", "h2", 60).vm("y", "h3", 55).build();
        Plan p = plan(s, policy);
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("evacuation of h1 cannot finish")
                && n.contains("1 VMs stay") && n.contains("the largest 60.0 GiB")
                && n.contains("the most headroom below the watermark is 30.0 GiB on h2")
                && n.contains("30.0 GiB more on one host would take the largest")), p.notes().toString());
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("evacuation of h1 (maintenance): 1 VMs in 1 wave")
                && n.contains("1 VMs cannot leave")), p.notes().toString());
    }
}
