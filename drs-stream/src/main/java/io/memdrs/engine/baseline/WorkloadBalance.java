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
 * A re-implementation, from its documentation, of OpenStack Watcher's {@code workload_balance} strategy (goal
 * {@code workload_balancing}) with the RAM metric, run as a series of continuous audits.
 *
 * <p>Documented behaviour, per audit: hosts whose utilisation is at or above the threshold are overloaded, the others
 * are possible destinations, and the average workload is the cluster's total workload over its host count. Going
 * through the overloaded hosts from the most utilised, the first one that has a suitable instance gives the
 * instance to move: the one that brings the host closest to the average workload without going under it (the
 * largest instance whose workload is at most the host's excess over the average). Destinations are the
 * non-overloaded hosts that stay under the threshold with the instance added; the least utilised one is chosen. One
 * migration per audit ("we cannot forecast how many servers should be migrated"); an audit recommends nothing when no
 * host is overloaded, no host is under the threshold, no instance fits the excess, or the instance fits nowhere.
 *
 * <p>As for {@link WorkloadStabilization}, candidates must also pass the memdrs engine's hard constraints
 * ({@link MoveRules}), so that plans compare on equal terms.
 */
public final class WorkloadBalance {
    private final double threshold;

    /** @param threshold host load (fraction of capacity) at or above which a host is overloaded */
    public WorkloadBalance(double threshold) {
        this.threshold = threshold;
    }

    /** Runs audits until one recommends nothing or the policy's move cap is reached. */
    public BaselineResult plan(Snapshot snapshot, Policy constraints, Instant now) {
        Placement p = Placement.of(snapshot);
        MoveRules rules = MoveRules.of(p, constraints, now);
        double before = p.imbalance();
        List<BaselineMove> moves = new ArrayList<>();
        while (!rules.planFull()) {
            BaselineMove move = audit(p, rules);
            if (move == null) {
                break;
            }
            moves.add(move);
        }
        return new BaselineResult("watcher workload_balance", moves, before, p.imbalance());
    }

    private BaselineMove audit(Placement p, MoveRules rules) {
        List<Integer> overloaded = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        long total = 0;
        for (int h = 0; h < p.hostCount(); h++) {
            if (!p.balanced(h)) {
                continue;
            }
            total += p.demandKiB(h);
            (p.load(h) >= threshold ? overloaded : others).add(h);
        }
        if (overloaded.isEmpty() || others.isEmpty()) {
            return null;
        }
        double average = (double) total / p.balancedHostCount();
        overloaded.sort((x, y) -> Double.compare(p.load(y), p.load(x)));
        for (int source : overloaded) {
            double excess = p.demandKiB(source) - average;
            int chosen = -1;
            double closest = Double.MAX_VALUE;
            for (int v : p.vmsOn(source)) {
                if (rules.checkVm(v, false) != null) {
                    continue;
                }
                double left = excess - p.vm(v).demandKiB();
                if (left >= 0 && left < closest) {
                    closest = left;
                    chosen = v;
                }
            }
            if (chosen >= 0) {
                return migrate(p, rules, chosen, source, others);
            }
        }
        return null;
    }

    private BaselineMove migrate(Placement p, MoveRules rules, int v, int source, List<Integer> others) {
        long d = p.vm(v).demandKiB();
        int target = -1;
        for (int t : others) {
            if (p.loadWith(t, d) >= threshold || rules.check(v, t, false) != null) {
                continue;
            }
            if (target < 0 || p.load(t) < p.load(target)) {
                target = t;
            }
        }
        if (target < 0) {
            return null;
        }
        Vm vm = p.vm(v);
        BaselineMove move = new BaselineMove(vm.uuid(), vm.name(), p.host(source).name(), p.host(target).name(),
                vm.sizeKiB());
        rules.apply(v, target);
        return move;
    }
}
