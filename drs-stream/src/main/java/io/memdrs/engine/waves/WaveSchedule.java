package io.memdrs.engine.waves;

/**
 * A plan cut into waves.
 *
 * @param waveOf per move of the plan, its wave from 1; 0 when it could not be scheduled (only with a cap of 0)
 * @param waitedFor per move, why it could not join the wave before its own ({@link Wait#NONE} in wave 1)
 * @param waves number of waves
 */
public record WaveSchedule(int[] waveOf, Wait[] waitedFor, int waves) {
}
