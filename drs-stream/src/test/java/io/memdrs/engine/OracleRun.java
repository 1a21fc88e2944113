package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plans seeded small clusters ({@link ClusterGenerator#small}), checks every plan with {@link PlanVerifier}, and
 * compares its imbalance with the best the {@link ExhaustiveOracle} reaches with the same number of balance moves.
 */
public final class OracleRun {
    public final int cases;
    public final List<String> problems = new ArrayList<>();
    public final List<String> worst = new ArrayList<>();
    public int within;
    public int withMoves;
    public double maxGap;
    public double gapSum;
    public long leaves;

    private OracleRun(int cases) {
        this.cases = cases;
    }

    /**
     * @param stopBandOff true to plan with a stop band near 0, so that the comparison measures the search itself
     *        rather than the policy's decision to stop at the target
     */
    public static OracleRun run(int cases, long firstSeed, boolean stopBandOff) {
        OracleRun f = new OracleRun(cases);
        for (long seed = firstSeed; seed < firstSeed + cases; seed++) {
            Snapshot snapshot = ClusterGenerator.small(seed);
            Policy policy = ClusterGenerator.smallPolicy(seed, stopBandOff);
            Plan plan = DrsEngine.plan(snapshot, policy, ClusterGenerator.NOW);
            for (String p : new PlanVerifier(snapshot, policy, ClusterGenerator.NOW).verify(plan)) {
                f.problems.add("seed " + seed + ": " + p);
            }
            int balanceMoves = (int) plan.waves().stream().flatMap(w -> w.recommendations().stream())
                    .filter(r -> !r.mandatory()).count();
            ExhaustiveOracle oracle = new ExhaustiveOracle(snapshot, policy, ClusterGenerator.NOW, plan);
            double best = oracle.bestSigma(balanceMoves);
            double gap = plan.planImbalanceAfter() - best;
            if (gap <= 0.01 + 1e-12) {
                f.within++;
            } else if (f.worst.size() < 5) {
                f.worst.add(String.format(Locale.ROOT, "seed %d: engine %.4f vs best %.4f with %d moves", seed,
                        plan.planImbalanceAfter(), best, balanceMoves));
            }
            f.maxGap = Math.max(f.maxGap, gap);
            f.gapSum += Math.max(0, gap);
            if (balanceMoves > 0) {
                f.withMoves++;
            }
            f.leaves += oracle.leaves;
        }
        return f;
    }

    public String line(String label) {
        return String.format(Locale.ROOT, "oracle [%s]: %d cases (%d with balance moves), %d within 0.01 of the "
                + "optimum (%.1f %%), mean gap %.4f, max gap %.4f, %d constraint violations, %d placements "
                + "searched%s", label, cases, withMoves, within, 100.0 * within / cases, gapSum / cases, maxGap,
                problems.size(), leaves, worst.isEmpty() ? "" : "; worst: " + worst);
    }
}
