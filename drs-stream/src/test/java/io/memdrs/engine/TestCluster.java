package io.memdrs.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds small snapshots by hand, sizes in GiB; a VM's UUID is its name. */
final class TestCluster {
    static final long GIB = 1024L * 1024;

    private final String cluster;
    private final List<Host> hosts = new ArrayList<>();
    private final List<Vm> vms = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, VmHistory> history = new HashMap<>();

    private TestCluster(String cluster) {
        this.cluster = cluster;
    }

    static TestCluster named(String cluster) {
        return new TestCluster(cluster);
    }

    /** An active host with this much capacity and nothing reserved. */
    TestCluster host(String name, long gib) {
        hosts.add(new Host(name, gib * GIB, 0, false));
        return this;
    }

    TestCluster maintenanceHost(String name, long gib) {
        hosts.add(new Host(name, gib * GIB, 0, true));
        return this;
    }

    TestCluster unknownHost(String name, long gib) {
        hosts.add(new Host(name, gib * GIB, 0, false, HostState.UNKNOWN));
        return this;
    }

    TestCluster vm(String name, String host, double demandGib, double sizeGib) {
        vms.add(new Vm(name, name, host, (long) (demandGib * GIB), (long) (sizeGib * GIB), Confidence.HIGH, true));
        return this;
    }

    /** A VM whose size equals its demand. */
    TestCluster vm(String name, String host, double gib) {
        return vm(name, host, gib, gib);
    }

    TestCluster lowVm(String name, String host, double gib) {
        vms.add(new Vm(name, name, host, (long) (gib * GIB), (long) (gib * GIB), Confidence.LOW, true));
        return this;
    }

    TestCluster pinnedVm(String name, String host, double gib) {
        vms.add(new Vm(name, name, host, (long) (gib * GIB), (long) (gib * GIB), Confidence.HIGH, false));
        return this;
    }

    TestCluster rule(Rule rule) {
        rules.add(rule);
        return this;
    }

    TestCluster moved(String vm, Duration ago, String leftHost) {
        history.put(vm, new VmHistory(vm, ClusterGenerator.NOW.minus(ago), leftHost));
        return this;
    }

    Snapshot build() {
        return new Snapshot(cluster, hosts, vms, rules, history, TriggerHistory.NONE);
    }

    /** Plans with the policy at {@link ClusterGenerator#NOW} and checks the plan with {@link PlanVerifier}. */
    static Plan plan(Snapshot snapshot, Policy policy) {
        Plan plan = DrsEngine.plan(snapshot, policy, ClusterGenerator.NOW);
        List<String> problems = new PlanVerifier(snapshot, policy, ClusterGenerator.NOW).verify(plan);
        if (!problems.isEmpty()) {
            throw new AssertionError("plan breaks constraints: " + problems + "\n" + plan);
        }
        return plan;
    }

    /** "vm source→target" of each move, in order. */
    static List<String> moves(Plan plan) {
        List<String> moves = new ArrayList<>();
        for (Recommendation r : plan.recommendations()) {
            moves.add(r.vmName() + " " + r.source() + "→" + r.target());
        }
        return moves;
    }
}
