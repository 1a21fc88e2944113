package io.memdrs.engine;

import static io.memdrs.engine.TestCluster.moves;
import static io.memdrs.engine.TestCluster.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExplanationTest {
    private final Policy policy = Policy.defaults();

    /** h1 at 57 % (a 27, b 30), h2 at 10 % (c 10): mean 33.5 %, σ 0.235. */
    private static Snapshot twoHosts() {
        return TestCluster.named("c1").host("h1", 100).host("h2", 100).vm("a", "h1", 27).vm("b", "h1", 30)
                .vm("c", "h2", 10).build();
    }

    @Test
    void shouldGiveNumbersThatCanBeRederivedByHand() {
        Plan plan = plan(twoHosts(), policy);
        assertEquals(0.235, plan.imbalanceBefore(), 1e-12);
        Recommendation r = plan.recommendations().get(0);
        assertEquals(0.57, r.sourceLoadBefore(), 1e-12);
        assertEquals(0.30, r.sourceLoadAfter(), 1e-12);
        assertEquals(0.10, r.targetLoadBefore(), 1e-12);
        assertEquals(0.37, r.targetLoadAfter(), 1e-12);
        assertEquals(0.235, r.imbalanceBefore(), 1e-12);
        assertEquals(0.035, r.imbalanceAfter(), 1e-12);
        assertEquals(2 * (0.235 * 0.235 - 0.035 * 0.035), r.goodness(), 1e-12, "hosts × (σ² before − σ² after)");
        assertEquals(0.035, plan.imbalanceAfter(), 1e-12);
        assertEquals(0.57, plan.hosts().get(0).loadBefore(), 1e-12);
        assertEquals(0.30, plan.hosts().get(0).loadAfter(), 1e-12);
    }

    @Test
    void shouldExplainTheMoveInOneLineWithItsNumbers() {
        Recommendation r = plan(twoHosts(), policy).recommendations().get(0);
        assertEquals(MoveReason.BALANCE, r.reason());
        assertEquals("Move a from h1 to h2 to lower the imbalance, the best benefit per byte (0.0050 σ/GiB) "
                + "among 3 candidate VMs: h1 57.0 % → 30.0 %, h2 10.0 % → 37.0 %, imbalance 0.235 → 0.035 "
                + "(target 0.100); moves 27.0 GiB of demand, copies 27.0 GiB (predicted 28 s, at the assumed 1000 MiB/s, "
                + "no migration measured yet)", r.explanation());
        assertEquals("imbalance", r.trigger().metric());
        assertEquals(0.235, r.trigger().value(), 1e-12);
        assertEquals(0.10, r.trigger().threshold(), 1e-12);
        assertEquals(0, r.trigger().sustainedSeconds());
    }

    @Test
    void shouldCarrySequencePriorityExpiryAndPolicyVersion() {
        Policy versioned = policy.toBuilder().version("ops-7").recommendationLifetime(Duration.ofMinutes(3)).build();
        Recommendation r = plan(twoHosts(), versioned).recommendations().get(0);
        assertEquals(1, r.sequence());
        assertEquals(2, r.priority(), "goodness 0.108 ≥ 0.05");
        assertEquals("ops-7", r.policyVersion());
        assertEquals(ClusterGenerator.NOW.plus(Duration.ofMinutes(3)), r.expiresAt());
        assertEquals("c1:42:1", Recommendation.id("c1", 42, r.sequence()));
    }

    @Test
    void shouldRatePrioritiesByGoodness() {
        assertEquals(1, DrsEngine.priorityFor(MoveReason.MAINTENANCE_EVACUATION, -1));
        assertEquals(1, DrsEngine.priorityFor(MoveReason.RULE_VIOLATION, 0));
        assertEquals(2, DrsEngine.priorityFor(MoveReason.OVERLOAD, 0.001));
        assertEquals(2, DrsEngine.priorityFor(MoveReason.BALANCE, 0.05));
        assertEquals(3, DrsEngine.priorityFor(MoveReason.BALANCE, 0.02));
        assertEquals(4, DrsEngine.priorityFor(MoveReason.BALANCE, 0.005));
        assertEquals(5, DrsEngine.priorityFor(MoveReason.BALANCE, 0.004));
    }

    @Test
    void shouldTakeHowLongTheTriggerHasHeldFromTheTriggerHistory() {
        Instant since = ClusterGenerator.NOW.minus(Duration.ofMinutes(7));
        Snapshot s = twoHosts().withTriggers(new TriggerHistory(Optional.of(since), Map.of()));
        assertEquals(420, plan(s, policy).recommendations().get(0).trigger().sustainedSeconds());
    }

    @Test
    void shouldPreferTheVmThatCopiesFewerBytesAmongNearlyEqualMoves() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("big", "h1", 10, 64)
                .vm("dense", "h1", 10, 10).vm("x", "h1", 40).vm("y", "h2", 30).build();
        Plan plan = plan(s, policy);
        assertEquals("dense h1→h2", moves(plan).get(0));
        RejectedAlternative alt = plan.recommendations().get(0).rejectedAlternatives().get(0);
        assertEquals("big", alt.vmUuid());
        assertEquals(RejectionKind.LESS_BENEFIT, alt.kind());
    }

    @Test
    void shouldProduceTheSamePlanWhateverTheOrderOfTheInput() {
        for (ClusterGenerator.Family family : ClusterGenerator.Family.values()) {
            Snapshot s = ClusterGenerator.midSize(family, 24, 20, 40, 77);
            List<Host> hosts = new ArrayList<>(s.hosts());
            List<Vm> vms = new ArrayList<>(s.vms());
            List<Rule> rules = new ArrayList<>(s.rules());
            Collections.shuffle(hosts, new Random(1));
            Collections.shuffle(vms, new Random(2));
            Collections.shuffle(rules, new Random(3));
            Snapshot shuffled = new Snapshot(s.cluster(), hosts, vms, rules);
            Plan a = DrsEngine.plan(s, policy, ClusterGenerator.NOW);
            Plan b = DrsEngine.plan(shuffled, policy, ClusterGenerator.NOW);
            assertEquals(a, b, family.name());
        }
    }
}
