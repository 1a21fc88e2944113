package io.memdrs.engine.waves;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan cut into waves: caps per wave, in-flight demand on both hosts, the plan's order per host and rule. */
class WaveSchedulerTest {
    private static final int[] NONE = {};
    private static final long[] CAPACITY = {100, 100, 100, 100};

    private static WaveMove move(int unit, int source, int target, long demand, int... rules) {
        return new WaveMove(unit, source, target, demand, rules, NONE);
    }

    @Test
    void shouldCutAnEvacuationAtTheSourcesOutflowCapAndSayWhy() {
        List<WaveMove> plan = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            plan.add(move(i, 0, 1 + i % 3, 5));
        }
        WaveSchedule s = WaveScheduler.schedule(plan, new long[] {50, 0, 0, 0}, CAPACITY, 0.9, new WaveCaps(16, 4, 4));
        assertEquals(3, s.waves());
        assertArrayEquals(new int[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3}, s.waveOf());
        assertEquals(Wait.OUTFLOW_CAP, s.waitedFor()[4]);
        assertEquals(Wait.OUTFLOW_CAP, s.waitedFor()[9], "behind a move that waits for the cap: the cap");
    }

    @Test
    void shouldCountAMigratingVmOnBothHostsSoThatRoomFreedByAMoveIsUsedOnlyInTheNextWave() {
        // host 1 is at 80 of 90: a 20 GiB VM leaves it, then another 20 GiB VM arrives in the room it frees
        List<WaveMove> plan = List.of(move(0, 1, 2, 20), move(1, 0, 1, 20));
        WaveSchedule s = WaveScheduler.schedule(plan, new long[] {40, 80, 0, 0}, CAPACITY, 0.9, new WaveCaps(16, 4, 4));
        assertArrayEquals(new int[] {1, 2}, s.waveOf());
        assertEquals(Wait.ROOM, s.waitedFor()[1]);
    }

    @Test
    void shouldKeepThePlansOrderForMovesThatShareARuleAndRunOthersAtOnce() {
        // moves 1 and 2 share rule 7: 2 may not overtake 1, which waits for host 3's inflow cap of 1; move 3 touches
        // none of their hosts and rules, so it runs in wave 1
        List<WaveMove> plan = List.of(move(0, 1, 3, 5), move(1, 0, 3, 5, 7), move(2, 2, 1, 5, 7), move(3, 4, 5, 5));
        WaveSchedule s = WaveScheduler.schedule(plan, new long[] {30, 30, 30, 0, 30, 0},
                new long[] {100, 100, 100, 100, 100, 100}, 0.9, new WaveCaps(16, 4, 1));
        assertArrayEquals(new int[] {1, 2, 2, 1}, s.waveOf());
        assertEquals(Wait.INFLOW_CAP, s.waitedFor()[1]);
        assertEquals(Wait.ORDER, s.waitedFor()[2]);
    }

    @Test
    void shouldMoveAGroupLargerThanTheCapsAsOneUnitInAWaveOfItsOwn() {
        List<WaveMove> plan = List.of(move(0, 1, 2, 5), move(5, 0, 3, 5), move(5, 0, 3, 5), move(5, 0, 3, 5));
        WaveSchedule s = WaveScheduler.schedule(plan, new long[] {30, 30, 0, 0}, CAPACITY, 0.9, new WaveCaps(2, 2, 2));
        assertArrayEquals(new int[] {1, 2, 2, 2}, s.waveOf(), "the group waits for a wave where it goes alone");
    }

    @Test
    void shouldKeepTwoMovesOfOneMustAntiAffinityRuleApartWhileEitherIsInFlightOnAHostTheOtherUses() {
        List<WaveMove> plan = List.of(new WaveMove(0, 0, 1, 5, new int[] {3}, new int[] {3}),
                new WaveMove(1, 2, 0, 5, new int[] {3}, new int[] {3}));
        WaveSchedule s = WaveScheduler.schedule(plan, new long[] {30, 0, 30, 0}, CAPACITY, 0.9, new WaveCaps(16, 4, 4));
        assertArrayEquals(new int[] {1, 2}, s.waveOf());
    }

    @Test
    void shouldScheduleNothingWithAClusterCapOfZero() {
        WaveSchedule s = WaveScheduler.schedule(List.of(move(0, 0, 1, 5)), new long[] {30, 0, 0, 0}, CAPACITY, 0.9,
                new WaveCaps(0, 4, 4));
        assertEquals(0, s.waves());
        assertArrayEquals(new int[] {0}, s.waveOf());
    }
}
