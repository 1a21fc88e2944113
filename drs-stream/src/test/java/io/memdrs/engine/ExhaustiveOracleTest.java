package io.memdrs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Small clusters (2–5 hosts, 3–12 VMs, with rules, maintenance, unknown hosts, untrusted, pinned and recently moved
 * VMs): the engine never breaks a constraint, and its imbalance is within 0.01 of the best imbalance reachable with
 * the same number of balance moves.
 */
class ExhaustiveOracleTest {
    private static final int CASES = 400;

    @Test
    void shouldStayWithinOneHundredthOfTheExhaustiveOptimumWithTheSameMoves() {
        Figures search = run(true);
        Figures defaults = run(false);
        System.out.println(search.line("stop band off (search quality)"));
        System.out.println(defaults.line("stop band 0.8 × target (default)"));
        assertEquals(List.of(), search.problems);
        assertEquals(List.of(), defaults.problems);
        assertTrue(search.within >= 0.95 * CASES, search.line("search"));
    }

    private static Figures run(boolean stopBandOff) {
        Figures f = new Figures();
        for (long seed = 1; seed <= CASES; seed++) {
            Snapshot snapshot = ClusterGenerator.small(seed);
            Policy policy = ClusterGenerator.smallPolicy(seed, stopBandOff);
            Plan plan = DrsEngine.plan(snapshot, policy, ClusterGenerator.NOW);
            for (String p : new PlanVerifier(snapshot, policy, ClusterGenerator.NOW).verify(plan)) {
                f.problems.add("seed " + seed + ": " + p);
            }
            int balanceMoves = (int) plan.recommendations().stream().filter(r -> !r.mandatory()).count();
            ExhaustiveOracle oracle = new ExhaustiveOracle(snapshot, policy, ClusterGenerator.NOW, plan);
            double best = oracle.bestSigma(balanceMoves);
            double gap = plan.imbalanceAfter() - best;
            if (gap <= 0.01 + 1e-12) {
                f.within++;
            } else if (f.worst.size() < 5) {
                f.worst.add(String.format(Locale.ROOT, "seed %d: engine %.4f vs best %.4f with %d moves", seed,
                        plan.imbalanceAfter(), best, balanceMoves));
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

    private static final class Figures {
        final List<String> problems = new ArrayList<>();
        final List<String> worst = new ArrayList<>();
        int within;
        int withMoves;
        double maxGap;
        double gapSum;
        long leaves;

        String line(String label) {
            return String.format(Locale.ROOT, "oracle [%s]: %d cases (%d with balance moves), %d within 0.01 of the "
                    + "optimum (%.1f %%), mean gap %.4f, max gap %.4f, %d constraint violations, %d placements "
                    + "searched%s", label, CASES, withMoves, within, 100.0 * within / CASES, gapSum / CASES, maxGap,
                    problems.size(), leaves, worst.isEmpty() ? "" : "; worst: " + worst);
        }
    }
}
