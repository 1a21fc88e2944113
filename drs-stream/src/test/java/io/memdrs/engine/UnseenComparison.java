package io.memdrs.engine;

import io.memdrs.engine.baseline.BaselineResult;
import io.memdrs.engine.baseline.SteepestDescent;
import io.memdrs.engine.baseline.WorkloadBalance;
import io.memdrs.engine.baseline.WorkloadStabilization;
import java.util.Locale;

/**
 * The whole plan on the {@link UnseenClusters} shapes, each case under its own random policy, beside Watcher's
 * workload_stabilization and workload_balance and steepest descent on the same clusters and constraints: mean σ
 * start/end, moves, GiB copied, waves; and the counts the property test asserts are zero (dominated plans, broken
 * constraints, evacuations neither complete nor explained).
 */
public final class UnseenComparison {

    private UnseenComparison() {
    }

    /** The table for {@code cases} clusters of every shape. */
    public static String table(int cases) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-24s %5s %7s | %-24s %5s | %-20s | %-20s | %-20s | %s%n", "shape", "cases",
                "σ start", "memdrs σ / moves / GiB", "waves", "WS (watcher)", "WB (watcher)", "steepest σ",
                "dominated, violations, unexplained"));
        for (UnseenClusters.Shape shape : UnseenClusters.Shape.values()) {
            double sigma0 = 0;
            double[] sigma = new double[4];
            double[] moves = new double[4];
            double[] gib = new double[4];
            double waves = 0;
            int dominated = 0;
            int violations = 0;
            int unexplained = 0;
            for (long seed = 1; seed <= cases; seed++) {
                Snapshot s = UnseenClusters.generate(shape, seed);
                Policy policy = UnseenClusters.policy(seed);
                Plan plan = DrsEngine.plan(s, policy, ClusterGenerator.NOW);
                sigma0 += plan.imbalanceBefore();
                sigma[0] += plan.planImbalanceAfter();
                moves[0] += plan.planMoves();
                gib[0] += plan.planBytesToCopyKiB() / 1048576.0;
                waves += plan.waves().size();
                for (String p : WholePlanPropertyTest.check(s, policy, "")) {
                    if (p.startsWith("dominated")) {
                        dominated++;
                    } else if (p.contains("no note says why")) {
                        unexplained++;
                    } else {
                        violations++;
                    }
                }
                double stop = policy.stopImbalance();
                BaselineResult[] baselines = {new WorkloadStabilization(stop).plan(s, policy, ClusterGenerator.NOW),
                    new WorkloadBalance(Placement.of(s).meanLoad() + stop).plan(s, policy, ClusterGenerator.NOW),
                    new SteepestDescent(stop).plan(s, policy, ClusterGenerator.NOW)};
                for (int i = 0; i < 3; i++) {
                    sigma[i + 1] += baselines[i].imbalanceAfter();
                    moves[i + 1] += baselines[i].moves().size();
                    gib[i + 1] += baselines[i].bytesToCopyKiB() / 1048576.0;
                }
            }
            b.append(String.format(Locale.ROOT, "%-24s %5d %7.4f | %-24s %5.1f | %-20s | %-20s | %-20s | %d, %d, %d%n",
                    shape.name().toLowerCase(Locale.ROOT), cases, sigma0 / cases, cell(sigma[0], moves[0], gib[0], cases),
                    waves / cases, cell(sigma[1], moves[1], gib[1], cases), cell(sigma[2], moves[2], gib[2], cases),
                    cell(sigma[3], moves[3], gib[3], cases), dominated, violations, unexplained));
        }
        return b.toString();
    }

    private static String cell(double sigma, double moves, double gib, int cases) {
        return String.format(Locale.ROOT, "%.4f / %.1f / %.0f", sigma / cases, moves / cases, gib / cases);
    }
}
