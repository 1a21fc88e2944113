package io.memdrs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small clusters (2–5 hosts, 3–12 VMs, with rules, maintenance, unknown hosts, untrusted, pinned and recently moved
 * VMs): the engine never breaks a constraint, and its imbalance is within 0.01 of the best imbalance reachable with
 * the same number of balance moves.
 */
class ExhaustiveOracleTest {
    private static final int CASES = 600;

    @Test
    void shouldStayWithinOneHundredthOfTheExhaustiveOptimumWithTheSameMoves() {
        OracleRun search = OracleRun.run(CASES, 1, true);
        OracleRun defaults = OracleRun.run(CASES, 1, false);
        System.out.println(search.line("stop band off (search quality)"));
        System.out.println(defaults.line("stop band 0.8 × target (default)"));
        assertEquals(List.of(), search.problems);
        assertEquals(List.of(), defaults.problems);
        assertTrue(search.within >= 0.95 * CASES, search.line("search"));
        assertTrue(defaults.within >= 0.90 * CASES, defaults.line("defaults"));
    }
}
