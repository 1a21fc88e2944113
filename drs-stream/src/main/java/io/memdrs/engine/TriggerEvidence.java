package io.memdrs.engine;

import java.util.Objects;

/**
 * The measurement that made the round act, as of the start of the round.
 *
 * @param metric {@code imbalance}, {@code host_load}, {@code maintenance} or {@code rule}
 * @param value its value (σ; a load fraction; VMs on the maintenance host; violations of the rule)
 * @param threshold the threshold it was compared with
 * @param sustainedSeconds for how long it has been above the threshold, as far as the caller's history tells
 */
public record TriggerEvidence(String metric, double value, double threshold, long sustainedSeconds) {

    public TriggerEvidence {
        Objects.requireNonNull(metric, "metric");
    }
}
