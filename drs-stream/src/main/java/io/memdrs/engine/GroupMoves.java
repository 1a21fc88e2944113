package io.memdrs.engine;

import java.util.List;

/**
 * Balance and overload moves of must affinity groups as one unit: the group's VMs together, their summed demand on
 * the target (watermark), every other rule of each VM, one wave. Scored like single moves (drop of σ down to the stop
 * band, plus the overload removed when relieving), the cost being the group's bytes plus the per-move overhead for
 * each VM. Per capacity group the least-loaded host is the best target; constraints are checked scanning up its load
 * order, as for single VMs.
 */
final class GroupMoves {
    /** One group move: the group, its host, the target and its scores. */
    record Choice(AffinityGroup group, int source, int target, double goodness, double benefit, double score) {
    }

    private final Placement placement;
    private final MoveRules rules;
    private final Policy policy;
    private final CapacityGroups capacity;
    private final List<AffinityGroup> groups;
    private final long[] demand;
    private final double[] cost;

    GroupMoves(Placement placement, MoveRules rules, Policy policy, CapacityGroups capacity) {
        this.placement = placement;
        this.rules = rules;
        this.policy = policy;
        this.capacity = capacity;
        this.groups = AffinityGroup.all(rules.rules(), placement).stream().filter(this::consistent).toList();
        this.demand = new long[groups.size()];
        this.cost = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            AffinityGroup g = groups.get(i);
            demand[i] = g.demandKiB(placement);
            cost[i] = (g.sizeKiB(placement) + (double) g.vms().size() * policy.moveOverheadKiB()) / 1048576.0;
        }
    }

    /**
     * False when another rule names two or more of the group's VMs (an anti-affinity among VMs that must stay
     * together, say): the members' single checks would not tell what the group's move does to it.
     */
    private boolean consistent(AffinityGroup g) {
        RuleBook book = rules.rules();
        for (int v : g.vms()) {
            for (int r : book.rulesOf(v)) {
                if (g.rules().get(r)) {
                    continue;
                }
                int inGroup = 0;
                for (int m : book.members(r)) {
                    inGroup += g.vms().contains(m) ? 1 : 0;
                }
                if (inGroup >= 2) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when there is no group to move. */
    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** The group move with the most benefit (ties by score), or null. */
    Choice best(CandidateSearch.Mode mode, double stopImbalance) {
        int hosts = placement.balancedHostCount();
        double ssd = placement.squaredDeviations();
        double sigmaNow = Math.sqrt(ssd / hosts);
        double floor = Math.min(stopImbalance, sigmaNow);
        double mean = placement.meanLoad();
        Choice best = null;
        for (int gi = 0; gi < groups.size(); gi++) {
            AffinityGroup g = groups.get(gi);
            int s = placement.hostOf(g.vms().first());
            if (!placement.balanced(s)) {
                continue;
            }
            double ls = placement.load(s);
            if (mode == CandidateSearch.Mode.OVERLOAD ? ls <= policy.highWatermark() + 1e-12 : ls <= mean) {
                continue;
            }
            if (!intact(g, s)) {
                continue;
            }
            long demand = this.demand[gi];
            double cost = this.cost[gi];
            double a = (double) demand / placement.capacityKiB(s);
            double overload = mode == CandidateSearch.Mode.OVERLOAD ? Math.max(0.0, ls - policy.highWatermark())
                    - Math.max(0.0, ls - a - policy.highWatermark()) : 0.0;
            for (int c = 0; c < capacity.groupCount(); c++) {
                int scanned = 0;
                for (int t : capacity.order(c)) {
                    if (t == s) {
                        continue;
                    }
                    if (scanned++ >= CandidateSearch.SCAN_LIMIT) {
                        break;
                    }
                    double goodness = placement.goodness(s, t, demand);
                    if (mode == CandidateSearch.Mode.BALANCE && (goodness < policy.minGoodness() || goodness <= 1e-12)) {
                        break;
                    }
                    double sigmaAfter = Math.sqrt(Math.max(0.0, ssd - goodness) / hosts);
                    double gain = sigmaNow - Math.max(sigmaAfter, floor);
                    double benefit = mode == CandidateSearch.Mode.BALANCE ? gain : overload + Math.max(0.0, gain);
                    if (benefit <= 0 || (best != null && benefit < best.benefit())) {
                        break;
                    }
                    Rejection no = allowed(g, t, demand);
                    if (no == null) {
                        best = new Choice(g, s, t, goodness, benefit, benefit / cost);
                        break;
                    }
                    if (no.kind() == RejectionKind.WATERMARK) {
                        break;
                    }
                }
            }
        }
        return best;
    }

    /** Why the group may not go to the target together, or null. */
    Rejection allowed(AffinityGroup g, int t, long demand) {
        Rejection no = rules.checkGroupCaps(placement.hostOf(g.vms().first()), t, g.vms().size());
        for (int v : g.vms()) {
            if (no == null) {
                no = rules.checkTarget(v, t, false, g.rules(), demand);
            }
        }
        return no;
    }

    /** All on host {@code s}, none moved yet in this plan, each allowed to move for balance. */
    private boolean intact(AffinityGroup g, int s) {
        for (int v : g.vms()) {
            if (placement.hostOf(v) != s || rules.checkVm(v, false) != null) {
                return false;
            }
        }
        return true;
    }
}
