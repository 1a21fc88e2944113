package io.memdrs.engine;

import static io.memdrs.engine.TestCluster.moves;
import static io.memdrs.engine.TestCluster.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstraintTest {
    private final Policy policy = Policy.defaults();

    /** h1 at 57 % (a 27, b 30), h2 at 10 % (c): moving a is best, b second. */
    private static TestCluster twoHosts() {
        return TestCluster.named("c").host("h1", 100).host("h2", 100).vm("a", "h1", 27).vm("b", "h1", 30)
                .vm("c", "h2", 10);
    }

    @Test
    void shouldMoveTheBestVmWhenNothingStandsInTheWay() {
        assertEquals(List.of("a h1→h2"), moves(plan(twoHosts().build(), policy)));
    }

    @Test
    void shouldNeverPushATargetAboveTheHighWatermark() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("a", "h1", 42).vm("b", "h1", 53)
                .vm("c", "h2", 50).build();
        Plan plan = plan(s, policy);
        assertEquals(List.of(), moves(plan), "a to h2 would lower σ but put h2 at 92 %");
        assertEquals(Outcome.CONSTRAINED, plan.outcome());
        RejectedAlternative r = plan.rejected().get(0);
        assertEquals(RejectionKind.WATERMARK, r.kind());
        assertEquals("h2 would reach 92.0 % > high watermark 90.0 %", r.reason());
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("no allowed move relieves h1 (95.0 %)")),
                plan.notes().toString());
    }

    @Test
    void shouldNotBreakAMustAntiAffinityRuleToBalance() {
        Plan plan = plan(twoHosts().rule(Rule.antiAffinity("spread", "a", "c")).build(), policy);
        assertEquals(List.of("b h1→h2"), moves(plan));
        RejectedAlternative alt = plan.recommendations().get(0).rejectedAlternatives().get(0);
        assertEquals("a", alt.vmUuid());
        assertEquals(RejectionKind.MUST_RULE, alt.kind());
        assertEquals("breaks must anti-affinity rule spread (c runs on h2)", alt.reason());
    }

    @Test
    void shouldNotBreakAShouldRuleToBalance() {
        Plan plan = plan(twoHosts().rule(Rule.antiAffinity("spread", "a", "c").asShould()).build(), policy);
        assertEquals(List.of("b h1→h2"), moves(plan));
        assertEquals(RejectionKind.SHOULD_RULE, plan.recommendations().get(0).rejectedAlternatives().get(0).kind());
    }

    @Test
    void shouldNotSplitAMustAffinityGroupToBalance() {
        Plan plan = plan(twoHosts().rule(Rule.affinity("pair", "a", "b")).build(), policy);
        assertEquals(List.of(), moves(plan));
        assertEquals(Outcome.CONSTRAINED, plan.outcome());
    }

    @Test
    void shouldNeverTargetHostsInMaintenanceOrUnknown() {
        Snapshot s = TestCluster.named("c").host("h1", 100).maintenanceHost("h2", 100).unknownHost("h3", 100)
                .host("h4", 100).vm("a", "h1", 20).vm("b", "h1", 20).vm("c", "h1", 20).vm("d", "h1", 20)
                .vm("e", "h4", 50).build();
        Plan plan = plan(s, policy);
        assertEquals(0.15, plan.imbalanceBefore(), 1e-12, "σ over h1 and h4 only");
        assertEquals(List.of("a h1→h4"), moves(plan));
    }

    @Test
    void shouldNotMoveAVmInCooldown() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("a", "h1", 25).vm("b", "h1", 20)
                .vm("c", "h1", 15).vm("d", "h2", 10).moved("a", Duration.ofMinutes(10), "h2").build();
        Plan plan = plan(s, policy);
        assertEquals("b h1→h2", moves(plan).get(0));
        RejectedAlternative alt = plan.recommendations().get(0).rejectedAlternatives().get(0);
        assertEquals(RejectionKind.COOLDOWN, alt.kind());
        assertNull(alt.targetHost());
        assertEquals("moved 10 min ago (cooldown 60 min)", alt.reason());
    }

    @Test
    void shouldNotSendAVmBackToTheHostItJustLeft() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("a", "h1", 25).vm("b", "h1", 20)
                .vm("c", "h1", 15).vm("d", "h2", 10).moved("a", Duration.ofHours(3), "h2").build();
        Plan plan = plan(s, policy);
        assertEquals("b h1→h2", moves(plan).get(0));
        RejectedAlternative alt = plan.recommendations().get(0).rejectedAlternatives().get(0);
        assertEquals(RejectionKind.NO_RETURN, alt.kind());
        assertEquals("would return to h2, which it left 3 h ago (no-return window 24 h)", alt.reason());
    }

    @Test
    void shouldNotSendAVmBackToAnyHostItLeftWithinTheWindow() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).vm("a", "h1", 25).vm("b", "h1", 20)
                .vm("c", "h1", 15).vm("d", "h2", 10).build();
        s = s.withHistory(java.util.Map.of("a", new VmHistory("a", ClusterGenerator.NOW.minus(Duration.ofHours(2)),
                "h3", java.util.Map.of("h2", ClusterGenerator.NOW.minus(Duration.ofHours(5))))));
        Plan plan = plan(s, policy);
        assertEquals("b h1→h2", moves(plan).get(0));
        assertEquals("would return to h2, which it left 5 h ago (no-return window 24 h)",
                plan.recommendations().get(0).rejectedAlternatives().get(0).reason());
    }

    @Test
    void shouldCountButNotMoveUntrustedVmsForBalance() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).lowVm("a", "h1", 25).vm("b", "h1", 20)
                .vm("c", "h1", 15).vm("d", "h2", 10).build();
        Plan plan = plan(s, policy);
        assertEquals(0.25, plan.imbalanceBefore(), 1e-12, "the untrusted 25 GiB counts in h1's 60 %");
        assertEquals("b h1→h2", moves(plan).get(0));
        assertEquals(RejectionKind.LOW_CONFIDENCE, plan.recommendations().get(0).rejectedAlternatives().get(0).kind());
    }

    @Test
    void shouldNeverMoveADoNotMoveVm() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).pinnedVm("a", "h1", 25).vm("b", "h1", 20)
                .vm("c", "h1", 15).vm("d", "h2", 10).build();
        Plan plan = plan(s, policy);
        assertEquals("b h1→h2", moves(plan).get(0));
        assertEquals(RejectionKind.NOT_MOVABLE, plan.recommendations().get(0).rejectedAlternatives().get(0).kind());
    }

    @Test
    void shouldPlanTheWholePathAndCutItIntoWavesUnderTheInflowOutflowAndWaveCaps() {
        TestCluster t = TestCluster.named("c").host("h1", 100).host("h2", 100).host("h3", 100).host("h4", 100);
        for (int i = 0; i < 9; i++) {
            t.vm("v" + i, "h1", 10);
        }
        Snapshot s = t.build();
        Policy open = policy.toBuilder().maxOutflowPerHost(10).maxInflowPerHost(10).build();
        Plan free = plan(s, open);
        assertTrue(free.recommendations().size() >= 4, "without tight caps it moves more");
        assertEquals(1, free.waves().size());
        Plan outflow = plan(s, open.toBuilder().maxOutflowPerHost(2).build());
        assertEquals(2, outflow.recommendations().size(), "wave 1 is cut at the outflow cap");
        assertEquals(moves(free).size(), outflow.planMoves(), "the caps cut the plan into waves, not short");
        assertEquals(free.planImbalanceAfter(), outflow.planImbalanceAfter(), 1e-12);
        assertTrue(outflow.waves().size() >= 2);
        Plan inflow = plan(s, open.toBuilder().maxInflowPerHost(1).build());
        assertEquals(3, inflow.recommendations().size(), moves(inflow).toString());
        Plan round = plan(s, open.toBuilder().maxMovesPerRound(1).build());
        assertEquals(1, round.recommendations().size());
        assertEquals(free.planMoves(), round.waves().size(), "one move per wave");
        assertTrue(round.notes().stream().anyMatch(n -> n.contains("the whole plan takes " + free.planMoves()
                + " waves")), round.notes().toString());
    }
}
