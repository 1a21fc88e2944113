package io.memdrs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole plans on cluster shapes the mid-size families do not make, each under a random policy: on every generated
 * cluster every wave is valid (caps, in-flight demand on both hosts, rules, maintenance, cooldown), every VM of a host
 * in maintenance either leaves in the plan or is named in a note that says why it stays, and no plan is dominated —
 * beaten by the best-σ or the gain-per-byte greedy with no more moves, no more bytes, no more load above the
 * watermark, no more broken should rules and a lower σ.
 */
class WholePlanPropertyTest {
    /** Clusters per shape: 1,000 in the build; {@code -Dmemdrs.property.cases=N} for a longer run. */
    static final int CASES_PER_SHAPE = Integer.getInteger("memdrs.property.cases", 1000);

    @ParameterizedTest
    @EnumSource(UnseenClusters.Shape.class)
    void everyWaveIsValidEvacuationsCompleteOrExplainedAndNoPlanIsDominated(UnseenClusters.Shape shape) {
        List<String> problems = new ArrayList<>();
        for (long seed = 1; seed <= CASES_PER_SHAPE; seed++) {
            Snapshot snapshot = UnseenClusters.generate(shape, seed);
            Policy policy = UnseenClusters.policy(seed);
            problems.addAll(check(snapshot, policy, "seed " + seed + ": "));
            if (problems.size() > 8) {
                break;
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Every problem of the engine's plan for the snapshot. */
    static List<String> check(Snapshot snapshot, Policy policy, String at) {
        List<String> problems = new ArrayList<>();
        Plan plan = DrsEngine.plan(snapshot, policy, ClusterGenerator.NOW);
        PlanVerifier replay = new PlanVerifier(snapshot, policy, ClusterGenerator.NOW);
        for (String p : replay.verify(plan)) {
            problems.add(at + p);
        }
        List<Recommendation> all = plan.waves().stream().flatMap(w -> w.recommendations().stream()).toList();
        for (Vm vm : snapshot.vms()) {
            Host host = snapshot.hosts().stream().filter(h -> h.name().equals(vm.host())).findFirst().orElseThrow();
            if (host.maintenance() && replay.placement.get(vm.uuid()).equals(vm.host())
                    && plan.notes().stream().noneMatch(n -> n.contains(vm.name()))) {
                problems.add(at + vm.name() + " stays on " + host.name() + " (maintenance) and no note says why");
            }
        }
        double overload = 0;
        for (Host h : snapshot.hosts()) {
            if (!h.maintenance() && h.state() == HostState.ACTIVE && h.memoryKiB() > h.reservedKiB()) {
                overload += Math.max(0.0, replay.load(h.name()) - policy.highWatermark());
            }
        }
        List<Recommendation> mandatory = all.stream().filter(Recommendation::mandatory).toList();
        for (PlainGreedy.Rule rule : PlainGreedy.Rule.values()) {
            for (PlainGreedy.Point g : PlainGreedy.run(rule, snapshot, policy, mandatory)) {
                if (g.moves() <= all.size() && g.bytesKiB() <= plan.planBytesToCopyKiB()
                        && g.overload() <= overload + 1e-9 && g.shouldViolations() <= replay.shouldViolations()
                        && g.sigma() < plan.planImbalanceAfter() - 1e-9) {
                    problems.add(at + String.format(Locale.ROOT, "dominated by the %s greedy: %d moves, %.1f GiB, σ "
                            + "%.4f vs the plan's %d moves, %.1f GiB, σ %.4f", rule, g.moves(),
                            g.bytesKiB() / 1048576.0, g.sigma(), all.size(), plan.planBytesToCopyKiB() / 1048576.0,
                            plan.planImbalanceAfter()));
                    break;
                }
            }
        }
        return problems;
    }
}
