package io.memdrs.engine.baseline;

import io.memdrs.engine.MoveRules;
import io.memdrs.engine.Placement;
import io.memdrs.engine.Policy;
import io.memdrs.engine.Snapshot;
import io.memdrs.engine.Vm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A reference point rather than a product: the idealised σ-greedy balancer. After every move it simulates every
 * (VM, destination) pair from the current loads and applies the one that lowers σ most, until σ is at or under the
 * threshold or nothing lowers it. No cost term, no minimum gain; the memdrs engine's hard constraints apply.
 * Watcher's workload_stabilization approximates this with one simulation per audit ({@link WorkloadStabilization}).
 */
public final class SteepestDescent {
    private final double threshold;

    /** @param threshold σ at or under which it stops */
    public SteepestDescent(double threshold) {
        this.threshold = threshold;
    }

    /** Plans migrations for the snapshot; the policy supplies the hard constraints and the move limit (maxPlanMoves). */
    public BaselineResult plan(Snapshot snapshot, Policy constraints, Instant now) {
        Placement p = Placement.of(snapshot);
        MoveRules rules = MoveRules.of(p, constraints, now);
        double before = p.imbalance();
        List<BaselineMove> moves = new ArrayList<>();
        while (p.imbalance() > threshold && !rules.planFull()) {
            int bestVm = -1;
            int bestHost = -1;
            double bestSigma = p.imbalance();
            for (int v = 0; v < p.vmCount(); v++) {
                if (!p.balanced(p.hostOf(v))) {
                    continue;
                }
                for (int t = 0; t < p.hostCount(); t++) {
                    if (t == p.hostOf(v) || !p.balanced(t)) {
                        continue;
                    }
                    double sigma = p.imbalanceIfMoved(v, t);
                    if (sigma < bestSigma - 1e-15 && rules.check(v, t, false) == null) {
                        bestSigma = sigma;
                        bestVm = v;
                        bestHost = t;
                    }
                }
            }
            if (bestVm < 0) {
                break;
            }
            Vm vm = p.vm(bestVm);
            moves.add(new BaselineMove(vm.uuid(), vm.name(), p.host(p.hostOf(bestVm)).name(), p.host(bestHost).name(),
                    vm.sizeKiB()));
            rules.apply(bestVm, bestHost);
        }
        return new BaselineResult("steepest descent (reference)", moves, before, p.imbalance());
    }
}
