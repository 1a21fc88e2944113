package io.memdrs.engine;

import io.memdrs.engine.baseline.BaselineResult;
import io.memdrs.engine.baseline.SteepestDescent;
import io.memdrs.engine.baseline.WorkloadBalance;
import io.memdrs.engine.baseline.WorkloadStabilization;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the engine and the Watcher baselines on the same generated clusters under the same hard constraints, and
 * tabulates imbalance, moves and GiB copied.
 *
 * <p>Protocol. Each baseline runs to its own documented end under the policy's constraints and round cap:
 * workload_stabilization with the policy's stop band (target × lower band) as its σ threshold, workload_balance
 * with "mean load + stop band" as its overload threshold. Then, for each baseline, the engine gets the same number
 * of moves as its budget and the goal of the lowest σ (stop band off, MinGoodness 0, as the baselines have no
 * minimum gain): the engine does at least as well when its σ is at most the baseline's (1e-9 tolerance) — with no
 * more moves by construction. The engine's own plan under the unchanged policy is shown as well, for reference.
 */
public final class BaselineComparison {
    /** Column labels, in {@link Row} order. */
    public static final String[] COLUMNS = {"memdrs (policy)", "WS (watcher)", "memdrs @WS moves", "WB (watcher)",
        "memdrs @WB moves", "steepest σ"};

    /** Per-family totals. */
    public static final class Row {
        public int cases;
        public double sigmaBefore;
        public final double[] sigma = new double[COLUMNS.length];
        public final double[] moves = new double[COLUMNS.length];
        public final double[] gib = new double[COLUMNS.length];
        /** Cases where the engine at the baseline's budget reached a σ at most the baseline's: WS, WB. */
        public final int[] atLeastAsGood = new int[2];
        public final List<String> losses = new ArrayList<>();
        public long violations;
    }

    private BaselineComparison() {
    }

    /** Compares on {@code casesPerFamily} clusters of each family with {@code minHosts..maxHosts} hosts. */
    public static Map<ClusterGenerator.Family, Row> run(Policy policy, int casesPerFamily, int minHosts, int maxHosts,
            long seed0, boolean withSteepest) {
        Map<ClusterGenerator.Family, Row> rows = new EnumMap<>(ClusterGenerator.Family.class);
        for (ClusterGenerator.Family family : ClusterGenerator.Family.values()) {
            Row row = new Row();
            rows.put(family, row);
            for (int c = 0; c < casesPerFamily; c++) {
                long seed = seed0 + 1000L * family.ordinal() + c;
                int hosts = minHosts + (int) Math.floorMod(seed * 7919, maxHosts - minHosts + 1);
                Snapshot snapshot = ClusterGenerator.midSize(family, hosts, 20, 60, seed);
                compare(snapshot, policy, row, seed, withSteepest);
            }
        }
        return rows;
    }

    static void compare(Snapshot snapshot, Policy policy, Row row, long seed, boolean withSteepest) {
        row.cases++;
        Plan own = plan(snapshot, policy, row);
        row.sigmaBefore += own.imbalanceBefore();
        add(row, 0, own);
        double stop = policy.stopImbalance();
        BaselineResult ws = new WorkloadStabilization(stop).plan(snapshot, policy, ClusterGenerator.NOW);
        double wbThreshold = Placement.of(snapshot).meanLoad() + stop;
        BaselineResult wb = new WorkloadBalance(wbThreshold).plan(snapshot, policy, ClusterGenerator.NOW);
        BaselineResult[] baselines = {ws, wb};
        for (int b = 0; b < 2; b++) {
            BaselineResult r = baselines[b];
            add(row, 1 + 2 * b, r);
            // a baseline that moves nothing leaves the engine no budget: level 1 (mandatory moves only)
            Policy budget = policy.toBuilder().migrationThreshold(r.moves().isEmpty() ? 1 : 5).lowerBand(1e-6)
                    .minGoodness(0).maxPlanMoves(Math.max(1, r.moves().size())).build();
            Plan engine = plan(snapshot, budget, row);
            add(row, 2 + 2 * b, engine);
            if (engine.planImbalanceAfter() <= r.imbalanceAfter() + 1e-9) {
                row.atLeastAsGood[b]++;
            } else if (row.losses.size() < 4) {
                row.losses.add(String.format(Locale.ROOT, "seed %d vs %s: memdrs σ %.5f with %d moves, baseline σ "
                        + "%.5f with %d", seed, b == 0 ? "WS" : "WB", engine.planImbalanceAfter(),
                        engine.planMoves(), r.imbalanceAfter(), r.moves().size()));
            }
        }
        if (withSteepest) {
            add(row, 5, new SteepestDescent(stop).plan(snapshot, policy, ClusterGenerator.NOW));
        }
    }

    private static Plan plan(Snapshot snapshot, Policy policy, Row row) {
        Plan plan = DrsEngine.plan(snapshot, policy, ClusterGenerator.NOW);
        row.violations += new PlanVerifier(snapshot, policy, ClusterGenerator.NOW).verify(plan).size();
        return plan;
    }

    private static void add(Row row, int column, Plan plan) {
        row.sigma[column] += plan.planImbalanceAfter();
        row.moves[column] += plan.planMoves();
        row.gib[column] += plan.planBytesToCopyKiB() / 1048576.0;
    }

    private static void add(Row row, int column, BaselineResult result) {
        row.sigma[column] += result.imbalanceAfter();
        row.moves[column] += result.moves().size();
        row.gib[column] += result.bytesToCopyKiB() / 1048576.0;
    }

    /** The side-by-side table: per family, mean σ / moves / GiB of each column, and the dominance counts. */
    public static String table(Map<ClusterGenerator.Family, Row> rows, Policy policy, boolean withSteepest) {
        int columns = withSteepest ? COLUMNS.length : COLUMNS.length - 1;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "policy: level %d (target σ %.3f, stop band %.3f), watermark %.2f, whole "
                + "plans in waves of %d moves, %d in/%d out per host; means per case: σ after the whole plan / moves / "
                + "GiB copied%n",
                policy.migrationThreshold(), policy.targetImbalance(), policy.stopImbalance(), policy.highWatermark(),
                policy.maxMovesPerRound(), policy.maxInflowPerHost(), policy.maxOutflowPerHost()));
        b.append(String.format(Locale.ROOT, "%-12s %5s %7s", "family", "cases", "σ start"));
        for (int i = 0; i < columns; i++) {
            b.append(String.format(Locale.ROOT, " | %-20s", COLUMNS[i]));
        }
        b.append(" | memdrs σ ≤ at same moves: vs WS, vs WB\n");
        for (Map.Entry<ClusterGenerator.Family, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            double n = r.cases;
            b.append(String.format(Locale.ROOT, "%-12s %5d %7.4f", e.getKey().name().toLowerCase(Locale.ROOT),
                    r.cases, r.sigmaBefore / n));
            for (int i = 0; i < columns; i++) {
                b.append(String.format(Locale.ROOT, " | %.4f %5.1f %6.0f", r.sigma[i] / n, r.moves[i] / n,
                        r.gib[i] / n));
            }
            b.append(String.format(Locale.ROOT, " | %d/%d, %d/%d%s%n", r.atLeastAsGood[0], r.cases,
                    r.atLeastAsGood[1], r.cases, r.violations > 0 ? "  CONSTRAINT VIOLATIONS: " + r.violations : ""));
        }
        for (Map.Entry<ClusterGenerator.Family, Row> e : rows.entrySet()) {
            for (String loss : e.getValue().losses) {
                b.append("  ").append(e.getKey().name().toLowerCase(Locale.ROOT)).append(": ").append(loss)
                        .append('\n');
            }
        }
        return b.toString();
    }
}
