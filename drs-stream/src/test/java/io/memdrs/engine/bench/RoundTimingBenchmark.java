package io.memdrs.engine.bench;

import io.memdrs.engine.ClusterGenerator;
import io.memdrs.engine.DrsEngine;
import io.memdrs.engine.Plan;
import io.memdrs.engine.Policy;
import io.memdrs.engine.Snapshot;
import io.memdrs.engine.baseline.BaselineResult;
import io.memdrs.engine.baseline.WorkloadStabilization;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times one decision round on large generated clusters with rules (the rules-heavy family: anti-affinity groups,
 * affinity pairs, VM–host rules on about a third of the VMs): 64 hosts / 4,000 VMs up to 1,000 hosts / 50,000 VMs,
 * and a doubling series (hosts and VMs ×2 each step) to fit the growth exponent of round time. Each size is timed
 * after untimed rounds on the same cluster.
 *
 * <p>Run: {@code java -cp <test classpath> io.memdrs.engine.bench.RoundTimingBenchmark [repeats] [maxMoves]}.
 */
public final class RoundTimingBenchmark {
    private static final int WARM_UP_ROUNDS_PER_SIZE = 3;
    private static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(8);

    private RoundTimingBenchmark() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int maxMoves = args.length > 1 ? Integer.parseInt(args[1]) : Policy.defaults().maxMovesPerRound();
        Policy policy = Policy.defaults().toBuilder().maxMovesPerRound(maxMoves).build();
        System.out.printf(Locale.ROOT, "round timing (whole plan, then waves), rules-heavy clusters, policy level %d, waves of %d moves, "
                + "%d repeats after warm-up%n", policy.migrationThreshold(), maxMoves, repeats);
        System.out.printf(Locale.ROOT, "%6s %7s %6s %6s %11s %9s %9s %9s%n", "hosts", "VMs", "rules", "moves",
                "σ before→after", "median ms", "min ms", "max ms");
        warmUp(policy);
        Result small = measure(64, 62, 63, policy, repeats);
        baseline(small, policy, Math.min(repeats, 5));
        Result large = measure(1000, 50, 50, policy, repeats);
        baseline(large, policy, Math.min(repeats, 3));
        System.out.println("doubling series (hosts and VMs ×2 per step):");
        int[] hosts = {64, 128, 256, 512, 1024};
        double[] medians = new double[hosts.length];
        double[] sizes = new double[hosts.length];
        for (int i = 0; i < hosts.length; i++) {
            Result r = measure(hosts[i], 62, 63, policy, repeats);
            medians[i] = r.medianMs;
            sizes[i] = r.vms;
        }
        System.out.printf(Locale.ROOT, "fitted growth exponent of round time vs cluster size (log-log slope): %.2f%n",
                slope(sizes, medians));
    }

    /** Rounds on a mid-size cluster for a few seconds, so that the JIT has compiled the engine before timing. */
    private static void warmUp(Policy policy) {
        Snapshot s = ClusterGenerator.midSize(ClusterGenerator.Family.RULES_HEAVY, 256, 50, 50, 99);
        long end = System.nanoTime() + WARM_UP.toNanos();
        while (System.nanoTime() < end) {
            DrsEngine.plan(s, policy, ClusterGenerator.NOW);
        }
    }

    private record Result(Snapshot snapshot, int vms, double medianMs) {
    }

    /**
     * The baseline on the same cluster and constraints: OpenStack Watcher's workload_stabilization (full search)
     * planning down to the same target σ; prints its time, its moves and the ratio of the engine's time to it.
     */
    private static void baseline(Result engine, Policy policy, int repeats) {
        WorkloadStabilization watcher = new WorkloadStabilization(policy.targetImbalance());
        double[] ms = new double[repeats];
        BaselineResult result = null;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            result = watcher.plan(engine.snapshot(), policy, ClusterGenerator.NOW);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[repeats / 2];
        System.out.printf(Locale.ROOT, "%6s %7s %6s %6d %5.3f→%5.3f %9.1f %9.1f %9.1f  baseline: %s; engine/baseline "
                        + "time ratio %.3f%n", "", "", "", result.moves().size(), result.imbalanceBefore(),
                result.imbalanceAfter(), median, ms[0], ms[repeats - 1], result.strategy(), engine.medianMs() / median);
    }

    private static Result measure(int hostCount, int minVms, int maxVms, Policy policy, int repeats) {
        Snapshot s = ClusterGenerator.midSize(ClusterGenerator.Family.RULES_HEAVY, hostCount, minVms, maxVms, 4242);
        for (int i = 0; i < WARM_UP_ROUNDS_PER_SIZE; i++) {
            DrsEngine.plan(s, policy, ClusterGenerator.NOW); // same cluster, untimed: code and data warm
        }
        double[] ms = new double[repeats];
        Plan plan = null;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            plan = DrsEngine.plan(s, policy, ClusterGenerator.NOW);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[repeats / 2];
        System.out.printf(Locale.ROOT, "%6d %7d %6d %6d %5.3f→%5.3f %9.1f %9.1f %9.1f  whole plan: %d moves in %d waves,"
                + " σ → %.3f%n", hostCount, s.vms().size(),
                s.rules().size(), plan.recommendations().size(), plan.imbalanceBefore(), plan.imbalanceAfter(), median,
                ms[0], ms[repeats - 1], plan.planMoves(), plan.waves().size(), plan.planImbalanceAfter());
        return new Result(s, s.vms().size(), median);
    }

    /** Least-squares slope of log(y) over log(x). */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]) / n;
            my += Math.log(y[i]) / n;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
            den += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
        }
        return num / den;
    }
}
