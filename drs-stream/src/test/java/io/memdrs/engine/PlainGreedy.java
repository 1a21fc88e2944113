package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The plain greedies a whole plan must never lose to, by brute force over every (VM, target) pair: after the plan's
 * own mandatory moves, each step takes the allowed balance move with the lowest σ after it (best σ) or with the most
 * drop of σ per byte copied, size plus the policy's per-move overhead (gain per byte) — ties (within 1e-9) to the
 * move that copies fewer bytes, then by VM name; a move must reach MinGoodness,
 * no caps, until σ is at the stop band or no move qualifies. Balancing starts only when the engine's would: σ above
 * the target, 2 or more balanced hosts, enough trusted demand. Each prefix also counts its broken should rules.
 */
final class PlainGreedy {
    /** One prefix of a greedy run: moves and bytes include the plan's mandatory ones. */
    record Point(int moves, long bytesKiB, double sigma, double overload, int shouldViolations) {
    }

    enum Rule { BEST_SIGMA, GAIN_PER_BYTE }

    private PlainGreedy() {
    }

    /** Every prefix of the greedy, the empty one first. */
    static List<Point> run(Rule choice, Snapshot snapshot, Policy policy, List<Recommendation> mandatory) {
        Placement p = Placement.of(snapshot);
        MoveRules rules = MoveRules.of(p, policy, ClusterGenerator.NOW);
        long bytes = 0;
        for (Recommendation r : mandatory) {
            rules.apply(p.vmIndex(r.vmUuid()), p.hostIndex(r.target()));
            bytes += r.sizeKiB();
        }
        int moves = mandatory.size();
        List<Point> points = new ArrayList<>();
        points.add(new Point(moves, bytes, p.imbalance(), overload(p, policy), should(rules)));
        if (policy.migrationThreshold() == 1 || p.balancedHostCount() < 2 || p.imbalance() <= policy.targetImbalance()
                || trusted(p) < policy.minTrustedDemandFraction()) {
            return points;
        }
        while (p.imbalance() > policy.stopImbalance() && !rules.planFull()) {
            int bestVm = -1;
            int bestHost = -1;
            double bestKey = 0;
            for (int v = 0; v < p.vmCount(); v++) {
                if (!p.balanced(p.hostOf(v)) || p.vm(v).demandKiB() == 0) {
                    continue;
                }
                for (int t = 0; t < p.hostCount(); t++) {
                    if (t == p.hostOf(v) || !p.balanced(t)) {
                        continue;
                    }
                    double goodness = p.goodness(v, t);
                    if (goodness < policy.minGoodness() || goodness <= 1e-12) {
                        continue;
                    }
                    double gain = p.imbalance() - p.imbalanceIfMoved(v, t);
                    double key = choice == Rule.BEST_SIGMA ? gain
                            : gain / Math.max(1.0, p.vm(v).sizeKiB() + (double) policy.moveOverheadKiB());
                    if (gain > 0 && better(p, key, v, t, bestKey, bestVm, bestHost) && rules.check(v, t, false) == null) {
                        bestKey = key;
                        bestVm = v;
                        bestHost = t;
                    }
                }
            }
            if (bestVm < 0) {
                break;
            }
            bytes += p.vm(bestVm).sizeKiB();
            rules.apply(bestVm, bestHost);
            points.add(new Point(++moves, bytes, p.imbalance(), overload(p, policy), should(rules)));
        }
        return points;
    }

    /**
     * True when (v, t) beats the best so far: a larger key, or one equal within 1e-9 (relative) that copies fewer
     * bytes, then the VM name, UUID and target name first.
     */
    private static boolean better(Placement p, double key, int v, int t, double bestKey, int bestVm, int bestHost) {
        if (bestVm < 0) {
            return true;
        }
        double tolerance = 1e-9 * Math.max(Math.abs(key), Math.abs(bestKey));
        if (key > bestKey + tolerance) {
            return true;
        }
        if (key < bestKey - tolerance) {
            return false;
        }
        int c = Long.compare(p.vm(v).sizeKiB(), p.vm(bestVm).sizeKiB());
        if (c == 0) {
            c = p.vm(v).name().compareTo(p.vm(bestVm).name());
        }
        if (c == 0) {
            c = p.vm(v).uuid().compareTo(p.vm(bestVm).uuid());
        }
        if (c == 0) {
            c = p.host(t).name().compareTo(p.host(bestHost).name());
        }
        return c < 0;
    }

    static double overload(Placement p, Policy policy) {
        double sum = 0;
        for (int h = 0; h < p.hostCount(); h++) {
            if (p.balanced(h)) {
                sum += Math.max(0.0, p.load(h) - policy.highWatermark());
            }
        }
        return sum;
    }

    private static int should(MoveRules rules) {
        RuleBook book = rules.rules();
        int sum = 0;
        for (int r = 0; r < book.ruleCount(); r++) {
            if (!book.rule(r).must()) {
                sum += book.violations(r);
            }
        }
        return sum;
    }

    private static double trusted(Placement p) {
        long total = 0;
        long trusted = 0;
        for (int v = 0; v < p.vmCount(); v++) {
            if (p.balanced(p.hostOf(v))) {
                total += p.vm(v).demandKiB();
                if (p.vm(v).confidence() == Confidence.HIGH) {
                    trusted += p.vm(v).demandKiB();
                }
            }
        }
        return total == 0 ? 1.0 : (double) trusted / total;
    }
}
