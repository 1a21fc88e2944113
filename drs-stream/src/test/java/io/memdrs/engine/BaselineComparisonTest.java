package io.memdrs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mid-size clusters (16–48 hosts, 20–60 VMs each, five generator families): with no more moves than either Watcher
 * baseline, the engine reaches a lower or equal imbalance, breaking no constraint. The benchmark
 * {@code io.memdrs.engine.bench.QualityBenchmark} runs the same comparison on more and larger clusters.
 */
class BaselineComparisonTest {
    private static final int CASES_PER_FAMILY = 4;

    @Test
    void shouldReachALowerOrEqualImbalanceThanBothWatcherBaselinesWithNoMoreMoves() {
        Policy policy = Policy.builder().maxMovesPerRound(64).maxInflowPerHost(8).maxOutflowPerHost(8).build();
        Map<ClusterGenerator.Family, BaselineComparison.Row> rows =
                BaselineComparison.run(policy, CASES_PER_FAMILY, 16, 48, 1, false);
        String table = BaselineComparison.table(rows, policy, false);
        System.out.println(table);
        int cases = 0;
        int[] good = new int[2];
        for (Map.Entry<ClusterGenerator.Family, BaselineComparison.Row> e : rows.entrySet()) {
            BaselineComparison.Row r = e.getValue();
            assertEquals(0, r.violations, e.getKey() + "\n" + table);
            assertTrue(r.sigma[2] <= r.sigma[1] + 1e-9, "mean σ vs workload_stabilization, " + e.getKey());
            assertTrue(r.sigma[4] <= r.sigma[3] + 1e-9, "mean σ vs workload_balance, " + e.getKey());
            assertTrue(r.moves[2] <= r.moves[1] && r.moves[4] <= r.moves[3], e.getKey().toString());
            cases += r.cases;
            good[0] += r.atLeastAsGood[0];
            good[1] += r.atLeastAsGood[1];
        }
        assertTrue(good[0] >= 0.9 * cases && good[1] >= 0.9 * cases, table);
    }
}
