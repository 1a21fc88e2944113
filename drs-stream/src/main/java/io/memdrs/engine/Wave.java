package io.memdrs.engine;

import java.util.List;

/**
 * One wave of a round's whole plan: migrations that run at once, under the per-wave caps.
 *
 * @param wave its number, from 1 (wave 1 is what the round emits now)
 * @param recommendations its moves, with loads and σ replayed in wave order
 * @param imbalanceAfter σ once this wave and the ones before it are done
 * @param bytesToCopyKiB what its migrations copy at least, KiB
 */
public record Wave(int wave, List<Recommendation> recommendations, double imbalanceAfter, long bytesToCopyKiB) {

    public Wave {
        recommendations = List.copyOf(recommendations);
    }
}
