package io.memdrs.engine;

import static io.memdrs.engine.TestCluster.moves;
import static io.memdrs.engine.TestCluster.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MandatoryMovesTest {
    private final Policy policy = Policy.defaults();

    @Test
    void shouldEvacuateMaintenanceHostFirst() {
        TestCluster t = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .host("h4", 100).vm("a", "h1", 10).vm("b", "h1", 20).vm("d", "h3", 10).vm("e", "h4", 30);
        for (int i = 0; i < 8; i++) {
            t.vm("c" + i, "h2", 10);
        }
        Snapshot s = t.build();
        Plan plan = plan(s, policy);
        List<Recommendation> recs = plan.recommendations();
        assertEquals("b h1→h3", moves(plan).get(0), "largest demand leaves first, to the host that keeps σ lowest");
        assertEquals("a h1→h3", moves(plan).get(1));
        for (int i = 0; i < 2; i++) {
            assertEquals(MoveReason.MAINTENANCE_EVACUATION, recs.get(i).reason());
            assertEquals(1, recs.get(i).priority());
            assertEquals("maintenance", recs.get(i).trigger().metric());
        }
        assertTrue(recs.size() > 2, "then balance moves follow: " + moves(plan));
        for (int i = 2; i < recs.size(); i++) {
            assertTrue(!recs.get(i).mandatory(), moves(plan).toString());
        }
    }

    @Test
    void shouldEvacuateUntrustedVmsFromMaintenanceHost() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .lowVm("a", "h1", 10).vm("b", "h2", 40).vm("c", "h3", 30).build();
        assertEquals(List.of("a h1→h3"), moves(plan(s, policy)));
    }

    @Test
    void shouldNotEvacuateDoNotMoveVmAndSayWhy() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .pinnedVm("a", "h1", 10).vm("b", "h2", 40).vm("c", "h3", 35).build();
        Plan plan = plan(s, policy);
        assertEquals(List.of(), moves(plan));
        assertEquals(Outcome.CONSTRAINED, plan.outcome());
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("vm a stays on h1") && n.contains("do-not-move")),
                plan.notes().toString());
    }

    @Test
    void shouldNotEvacuateOntoHostsThatWouldPassTheHighWatermark() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .vm("a", "h1", 50).vm("b", "h2", 60).vm("c", "h3", 45).build();
        Plan plan = plan(s, policy);
        assertEquals(List.of(), moves(plan));
        assertEquals(Outcome.CONSTRAINED, plan.outcome());
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("vm a stays on h1")
                && n.contains("h3 would reach 95.0 % > high watermark 90.0 %")), plan.notes().toString());
    }

    @Test
    void shouldEvacuateAMustAffinityGroupTogetherToOneHost() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .vm("web1", "h1", 20).vm("web2", "h1", 10).vm("x", "h1", 5).vm("b", "h2", 50).vm("c", "h3", 30)
                .rule(Rule.affinity("web", "web1", "web2")).build();
        Plan plan = plan(s, policy);
        assertEquals(List.of("web1 h1→h3", "web2 h1→h3", "x h1→h2"), moves(plan).subList(0, 3),
                "one by one, web1's move would break the rule and both would stay");
        Recommendation first = plan.recommendations().get(0);
        assertEquals(MoveReason.MAINTENANCE_EVACUATION, first.reason());
        assertTrue(first.explanation().contains("together with web2 (must affinity rule web) to h3, the allowed host "
                + "for all 2"), first.explanation());
        assertEquals(List.of(), new PlanVerifier(s, policy, ClusterGenerator.NOW).verify(plan));
    }

    @Test
    void shouldEvacuateMustAffinityRulesThatShareAVmAsOneGroup() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .vm("a", "h1", 10).vm("b", "h1", 10).vm("c", "h1", 10).vm("x", "h2", 50).vm("y", "h3", 20)
                .rule(Rule.affinity("ab", "a", "b")).rule(Rule.affinity("bc", "b", "c")).build();
        Plan plan = plan(s, policy);
        assertEquals(List.of("a h1→h3", "b h1→h3", "c h1→h3"), moves(plan).subList(0, 3),
                "b binds both rules: a, b and c go together");
        assertTrue(plan.recommendations().get(0).explanation().contains("(must affinity rules ab, bc)"),
                plan.recommendations().get(0).explanation());
        assertEquals(List.of(), new PlanVerifier(s, policy, ClusterGenerator.NOW).verify(plan));
    }

    @Test
    void shouldLetAGroupLargerThanTheInflowCapGoToAHostThatReceivesNothingElse() {
        Policy oneIn = Policy.defaults().toBuilder().maxInflowPerHost(1).build();
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .vm("web1", "h1", 10).vm("web2", "h1", 10).vm("x", "h2", 50).vm("y", "h3", 40)
                .rule(Rule.affinity("web", "web1", "web2")).build();
        Plan plan = plan(s, oneIn);
        assertEquals(List.of("web1 h1→h3", "web2 h1→h3"), moves(plan).subList(0, 2),
                "a group cannot be split: it may fill a host's inflow alone");
        assertEquals(List.of(), new PlanVerifier(s, oneIn, ClusterGenerator.NOW).verify(plan));
    }

    @Test
    void shouldKeepAMustAffinityGroupThatNoHostTakesWholeAndSayWhy() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .vm("web1", "h1", 30).vm("web2", "h1", 30).vm("b", "h2", 40).vm("c", "h3", 40)
                .rule(Rule.affinity("web", "web1", "web2")).build();
        Plan plan = plan(s, policy);
        assertEquals(List.of(), moves(plan), "each alone would fit (70 %), together they reach 100 %");
        assertEquals(Outcome.CONSTRAINED, plan.outcome());
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("must affinity group web (web1, web2) stays on h1")
                && n.contains("no host takes all 2 VMs") && n.contains("would reach 100.0 % > high watermark")),
                plan.notes().toString());
    }

    @Test
    void shouldKeepAMustAffinityGroupWithADoNotMoveMember() {
        Snapshot s = TestCluster.named("c").maintenanceHost("h1", 100).host("h2", 100).host("h3", 100)
                .vm("web1", "h1", 10).pinnedVm("web2", "h1", 10).vm("b", "h2", 40).vm("c", "h3", 40)
                .rule(Rule.affinity("web", "web1", "web2")).build();
        Plan plan = plan(s, policy);
        assertEquals(List.of(), moves(plan));
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("must affinity group web (web1, web2) stays on h1: "
                + "vm web2 marked do-not-move")), plan.notes().toString());
    }

    @Test
    void shouldSpreadVmsThatBreakMustAntiAffinity() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).host("h3", 100)
                .vm("db1", "h1", 10).vm("db2", "h1", 8).vm("x", "h2", 10).vm("y", "h3", 5)
                .rule(Rule.antiAffinity("db", "db1", "db2")).build();
        Plan plan = plan(s, policy);
        assertEquals("db2 h1→h3", moves(plan).get(0), "the larger db1 stays; db2 goes where σ is lowest");
        Recommendation r = plan.recommendations().get(0);
        assertEquals(MoveReason.RULE_VIOLATION, r.reason());
        assertEquals(1, r.priority());
        assertEquals("rule", r.trigger().metric());
        assertTrue(r.explanation().contains("anti-affinity rule db"), r.explanation());
    }

    @Test
    void shouldGatherVmsOfMustAffinityOnTheHostMostOfThemShare() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100)
                .vm("web1", "h1", 10).vm("web2", "h1", 10).vm("web3", "h2", 10).vm("x", "h2", 20)
                .rule(Rule.affinity("web", "web1", "web2", "web3")).build();
        Plan plan = plan(s, policy);
        assertEquals("web3 h2→h1", moves(plan).get(0));
        assertEquals(MoveReason.RULE_VIOLATION, plan.recommendations().get(0).reason());
    }

    @Test
    void shouldMoveVmOntoOneOfItsAllowedHosts() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).host("h3", 100)
                .vm("a", "h1", 10).vm("b", "h2", 10).vm("c", "h3", 40)
                .rule(Rule.vmHostAffinity("lic", List.of("a"), List.of("h3"))).build();
        assertEquals("a h1→h3", moves(plan(s, policy)).get(0));
    }

    @Test
    void shouldMoveVmOffAForbiddenHost() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100).host("h3", 100)
                .vm("a", "h1", 10).vm("b", "h2", 30).vm("c", "h3", 20)
                .rule(Rule.vmHostAntiAffinity("not-h1", List.of("a"), List.of("h1"))).build();
        assertEquals("a h1→h3", moves(plan(s, policy)).get(0));
    }

    @Test
    void shouldLeaveShouldRuleViolationsAlone() {
        Snapshot s = TestCluster.named("c").host("h1", 100).host("h2", 100)
                .vm("a", "h1", 30).vm("b", "h1", 30).vm("c", "h2", 55)
                .rule(Rule.antiAffinity("pref", "a", "b").asShould()).build();
        Plan plan = plan(s, policy);
        assertEquals(List.of(), moves(plan));
        assertEquals(Outcome.BALANCED, plan.outcome());
    }

    @Test
    void shouldNotMoveVmsOfAnUnknownHostEvenInMaintenance() {
        Snapshot s = new Snapshot("c", List.of(new Host("h1", 100 * TestCluster.GIB, 0, true, HostState.UNKNOWN),
                new Host("h2", 100 * TestCluster.GIB, 0, false), new Host("h3", 100 * TestCluster.GIB, 0, false)),
                List.of(Vm.of("a", "a", "h1", 10 * TestCluster.GIB, 10 * TestCluster.GIB),
                        Vm.of("b", "b", "h2", 30 * TestCluster.GIB, 30 * TestCluster.GIB)), List.of());
        Plan plan = plan(s, policy);
        assertEquals(List.of(), moves(plan));
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("not heard from")), plan.notes().toString());
    }
}
