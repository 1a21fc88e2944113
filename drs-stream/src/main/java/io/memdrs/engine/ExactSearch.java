package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Branch and bound over the balance moves of a small cluster: every set of up to {@code depth} moves (distinct VMs,
 * taken in VM order, each allowed in the state the earlier ones leave), keeping per move count the set that leaves
 * the lowest σ. Bounded by a node budget, so a round stays within its time; deterministic. Its best sets join the
 * plan search as candidates, beside the greedy constructions.
 */
final class ExactSearch {
    /** Placements (search nodes) a round may visit. */
    static final int NODE_BUDGET = 20_000;
    /** Largest cluster searched: VMs × balanced hosts. */
    static final int MAX_PAIRS = 256;

    private final Round round;
    private final Placement placement;
    private final MoveRules rules;
    private final int[] vm;
    private final int[] target;
    private final double[] bestSigma;
    private final int[][] best;
    private int nodes;

    ExactSearch(Round round, int depth) {
        this.round = round;
        this.placement = round.placement;
        this.rules = round.rules;
        this.vm = new int[depth];
        this.target = new int[depth];
        this.bestSigma = new double[depth + 1];
        this.best = new int[depth + 1][];
        java.util.Arrays.fill(bestSigma, Double.POSITIVE_INFINITY);
    }

    /** True when the cluster is small enough to search. */
    static boolean fits(Placement placement) {
        return (long) placement.vmCount() * placement.balancedHostCount() <= MAX_PAIRS;
    }

    /** Placements visited. */
    int nodes() {
        return nodes;
    }

    /**
     * The best set of each size 1..depth found, as moves from the current state (empty where none), the state left as
     * it was.
     */
    List<List<PlannedMove>> run(TriggerEvidence trigger) {
        search(0, 0);
        List<List<PlannedMove>> sets = new ArrayList<>();
        for (int k = 1; k < best.length; k++) {
            List<PlannedMove> moves = new ArrayList<>();
            if (best[k] != null) {
                for (int i = 0; i < k; i++) {
                    int v = best[k][2 * i];
                    int t = best[k][2 * i + 1];
                    String why = "Move " + placement.vm(v).name() + " from " + placement.host(placement.hostOf(v)).name()
                            + " to " + placement.host(t).name() + " to lower the imbalance, one of the " + k
                            + " moves that an exact search (" + nodes + " placements) found to leave the lowest σ";
                    moves.add(new PlannedMove(v, placement.hostOf(v), t, MoveReason.BALANCE, trigger, List.of(), why,
                            round.newUnit()));
                    // the next move's source is read before this one is applied: VMs are distinct, hosts unchanged
                }
            }
            sets.add(moves);
        }
        return sets;
    }

    private void search(int depth, int firstVm) {
        if (depth == vm.length) {
            return;
        }
        for (int v = firstVm; v < placement.vmCount() && nodes < NODE_BUDGET; v++) {
            int source = placement.hostOf(v);
            if (!placement.balanced(source) || rules.checkVm(v, false) != null) {
                continue;
            }
            for (int t = 0; t < placement.hostCount() && nodes < NODE_BUDGET; t++) {
                if (t == source || !placement.balanced(t) || rules.check(v, t, false) != null) {
                    continue;
                }
                nodes++;
                rules.apply(v, t);
                vm[depth] = v;
                target[depth] = t;
                double sigma = placement.imbalance();
                if (sigma < bestSigma[depth + 1] - 1e-12) {
                    bestSigma[depth + 1] = sigma;
                    int[] set = new int[2 * (depth + 1)];
                    for (int i = 0; i <= depth; i++) {
                        set[2 * i] = vm[i];
                        set[2 * i + 1] = target[i];
                    }
                    best[depth + 1] = set;
                }
                search(depth + 1, v + 1);
                rules.undo(v, source);
            }
        }
    }
}
