package io.memdrs.engine.baseline;

import java.util.List;

/**
 * What a baseline strategy planned.
 *
 * @param strategy name of the strategy
 * @param moves the migrations, in order
 * @param imbalanceBefore σ of host loads before
 * @param imbalanceAfter σ after all moves
 */
public record BaselineResult(String strategy, List<BaselineMove> moves, double imbalanceBefore, double imbalanceAfter) {

    public BaselineResult {
        moves = List.copyOf(moves);
    }

    /** Total bytes the migrations copy at least, KiB. */
    public long bytesToCopyKiB() {
        return moves.stream().mapToLong(BaselineMove::sizeKiB).sum();
    }
}
