package io.memdrs.engine.bench;

import io.memdrs.engine.BaselineComparison;
import io.memdrs.engine.ClusterGenerator;
import io.memdrs.engine.OracleRun;
import io.memdrs.engine.Policy;
import io.memdrs.engine.UnseenComparison;
import java.util.Locale;
import java.util.Map;

/**
 * The quality figures at a larger scale than the unit tests: the exhaustive oracle on many small clusters, and the
 * side-by-side comparison with OpenStack Watcher's workload_stabilization and workload_balance (and the idealised
 * steepest descent, for reference) on mid-size clusters of every generator family.
 *
 * <p>Run: {@code java -cp <test classpath> io.memdrs.engine.bench.QualityBenchmark [oracleCases] [casesPerFamily]
 * [minHosts] [maxHosts] [unseenCasesPerShape]} (defaults 2000, 20, 16, 64, 2000).
 */
public final class QualityBenchmark {

    private QualityBenchmark() {
    }

    public static void main(String[] args) {
        int oracleCases = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perFamily = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int minHosts = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int maxHosts = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        long t0 = System.nanoTime();
        System.out.println(OracleRun.run(oracleCases, 100_001, true).line("stop band off (search quality)"));
        System.out.println(OracleRun.run(oracleCases, 100_001, false).line("stop band 0.8 × target (default)"));
        System.out.printf(Locale.ROOT, "(%.1f s)%n%n", (System.nanoTime() - t0) / 1e9);
        Policy policy = Policy.builder().maxMovesPerRound(64).maxInflowPerHost(8).maxOutflowPerHost(8).build();
        t0 = System.nanoTime();
        Map<ClusterGenerator.Family, BaselineComparison.Row> rows =
                BaselineComparison.run(policy, perFamily, minHosts, maxHosts, 10_001, true);
        System.out.printf(Locale.ROOT, "mid-size clusters: %d–%d hosts, 20–60 VMs per host%n", minHosts, maxHosts);
        System.out.print(BaselineComparison.table(rows, policy, true));
        System.out.printf(Locale.ROOT, "(%.1f s)%n%n", (System.nanoTime() - t0) / 1e9);
        int unseen = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        t0 = System.nanoTime();
        System.out.println("unseen shapes, whole plans in waves, each case under its own random policy "
                + "(level 2–5, watermark 0.85–0.95, 2–16 moves per wave, 1–4 in and out per host):");
        System.out.print(UnseenComparison.table(unseen));
        System.out.printf(Locale.ROOT, "(%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    }
}
