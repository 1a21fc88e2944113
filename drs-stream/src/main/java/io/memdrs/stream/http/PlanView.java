package io.memdrs.stream.http;

import io.memdrs.stream.state.PlannedMove;
import io.memdrs.stream.state.PlannedWave;
import java.util.List;

/**
 * {@code GET /clusters/{id}/plan}: the last round's whole plan in waves, wave 1 first. Wave 1 is what the round
 * emitted; the later waves are what the plan expects to do next (the next round re-plans from fresh state).
 *
 * @param cluster cluster id
 * @param round the round that made the plan (0: none yet)
 * @param waves every wave
 * @param moves moves of the whole plan
 * @param bytesToCopyKiB what the whole plan copies at least, KiB
 * @param imbalanceAfter σ once the whole plan is done; null without a plan
 */
record PlanView(String cluster, long round, List<Wave> waves, int moves, long bytesToCopyKiB, Double imbalanceAfter) {

    /**
     * One wave.
     *
     * @param wave its number from 1
     * @param moves its moves, in order
     * @param imbalanceAfter σ once it and the ones before it are done
     * @param bytesToCopyKiB what its migrations copy at least, KiB
     */
    record Wave(int wave, List<Move> moves, double imbalanceAfter, long bytesToCopyKiB) {}

    /** One planned move. */
    record Move(String vmName, String source, String target, String reason, long sizeKiB) {}

    static PlanView of(ClusterData data) {
        List<Wave> waves = data.state().getPlan().stream().map(PlanView::wave).toList();
        int moves = waves.stream().mapToInt(w -> w.moves().size()).sum();
        long bytes = waves.stream().mapToLong(Wave::bytesToCopyKiB).sum();
        return new PlanView(data.cluster(), data.state().getRound(), waves, moves, bytes,
                waves.isEmpty() ? null : waves.get(waves.size() - 1).imbalanceAfter());
    }

    private static Wave wave(PlannedWave w) {
        List<Move> moves = w.getMoves().stream().map(PlanView::move).toList();
        return new Wave(w.getWave(), moves, w.getImbalanceAfter(), w.getBytesToCopyKiB());
    }

    private static Move move(PlannedMove m) {
        return new Move(m.getVmName(), m.getSource(), m.getTarget(), m.getReason(), m.getSizeKiB());
    }
}
