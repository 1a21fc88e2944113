package io.memdrs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A guard against accidental O(VMs × hosts) work per step: a round on 1,000 hosts / 50,000 VMs with rules stays
 * well under a second (best of three, after warm-up; the machine may be busy). Detailed timings:
 * {@code io.memdrs.engine.bench.RoundTimingBenchmark}.
 */
class RoundTimingTest {

    @Test
    void shouldPlanARoundOfFiftyThousandVmsWellUnderASecond() {
        Snapshot s = ClusterGenerator.midSize(ClusterGenerator.Family.RULES_HEAVY, 1000, 50, 50, 4242);
        assertEquals(50_000, s.vms().size());
        Policy policy = Policy.defaults();
        DrsEngine.plan(s, policy, ClusterGenerator.NOW);
        DrsEngine.plan(s, policy, ClusterGenerator.NOW);
        long best = Long.MAX_VALUE;
        Plan plan = null;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            plan = DrsEngine.plan(s, policy, ClusterGenerator.NOW);
            best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
        }
        System.out.printf("round on 1000 hosts / 50000 VMs / %d rules: %d moves, best of 3: %d ms%n",
                s.rules().size(), plan.recommendations().size(), best);
        assertEquals(policy.maxMovesPerRound(), plan.recommendations().size());
        assertTrue(best < 1000, best + " ms");
    }
}
