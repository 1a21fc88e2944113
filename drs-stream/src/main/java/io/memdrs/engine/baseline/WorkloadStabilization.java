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
 * A re-implementation, from its documentation, of OpenStack Watcher's {@code workload_stabilization} strategy
 * (goal {@code workload_balancing}, the "standard deviation algorithm"), applied to memory load, with the
 * {@code fullsearch} host choice (every other host is a candidate destination: the strongest documented variant).
 *
 * <p>Documented behaviour of one audit: when the standard deviation σ of the capacity-normalised host loads is above
 * the threshold, simulate, from the current loads, the migration of every active instance to every other host and
 * keep, per instance, each destination that improves on the best σ found so far; sort these (instance, destination)
 * pairs by the σ they give; then walk the sorted list, recomputing σ with the migrations accepted so far, and accept a
 * pair when it lowers σ below that of the last accepted one; stop as soon as σ is below the threshold. Audits are
 * repeated (continuous audits) until σ is below the threshold or an audit accepts nothing. There is no cost term and
 * no minimum gain. A pair whose instance has already moved is skipped.
 *
 * <p>Watcher only filters destinations by free capacity. To compare plans on equal terms, a pair must also pass the
 * memdrs engine's hard constraints ({@link MoveRules}: rules, high watermark, maintenance, cooldowns, caps, trusted
 * demand) at the moment it is accepted.
 */
public final class WorkloadStabilization {
    private final double threshold;

    /** @param threshold σ of host loads at or under which the cluster counts as balanced */
    public WorkloadStabilization(double threshold) {
        this.threshold = threshold;
    }

    /** Plans migrations for the snapshot; the policy supplies the hard constraints and the move limit (maxPlanMoves). */
    public BaselineResult plan(Snapshot snapshot, Policy constraints, Instant now) {
        Placement p = Placement.of(snapshot);
        MoveRules rules = MoveRules.of(p, constraints, now);
        double before = p.imbalance();
        List<BaselineMove> moves = new ArrayList<>();
        while (p.imbalance() > threshold && !rules.planFull()) {
            if (!audit(p, rules, moves)) {
                break;
            }
        }
        return new BaselineResult("watcher workload_stabilization", moves, before, p.imbalance());
    }

    private boolean audit(Placement p, MoveRules rules, List<BaselineMove> moves) {
        List<double[]> pairs = simulate(p, rules);
        double lastAccepted = 1.0;
        boolean accepted = false;
        for (double[] pair : pairs) {
            int v = (int) pair[0];
            int source = (int) pair[1];
            int target = (int) pair[2];
            if (rules.planFull()) {
                break;
            }
            if (p.hostOf(v) != source || rules.check(v, target, false) != null) {
                continue;
            }
            double sigma = p.imbalanceIfMoved(v, target);
            if (sigma < lastAccepted) {
                lastAccepted = sigma;
                Vm vm = p.vm(v);
                moves.add(new BaselineMove(vm.uuid(), vm.name(), p.host(source).name(), p.host(target).name(),
                        vm.sizeKiB()));
                rules.apply(v, target);
                accepted = true;
            }
            if (sigma <= threshold) {
                break;
            }
        }
        return accepted;
    }

    /** The improving (vm, source, target, σ) pairs from the current loads, sorted by σ (stable). */
    private static List<double[]> simulate(Placement p, MoveRules rules) {
        double current = p.imbalance();
        List<double[]> pairs = new ArrayList<>();
        for (int source = 0; source < p.hostCount(); source++) {
            if (!p.balanced(source)) {
                continue;
            }
            for (int v : p.vmsOn(source)) {
                if (rules.checkVm(v, false) != null) {
                    continue;
                }
                double min = current;
                for (int t = 0; t < p.hostCount(); t++) {
                    if (t == source || !p.balanced(t)) {
                        continue;
                    }
                    double sigma = p.imbalanceIfMoved(v, t);
                    if (sigma < min) {
                        min = sigma;
                        pairs.add(new double[] {v, source, t, sigma});
                    }
                }
            }
        }
        pairs.sort((a, b) -> Double.compare(a[3], b[3]));
        return pairs;
    }
}
