package io.memdrs.engine;

import java.util.Objects;

/**
 * The measurement that made the round act: for {@code host_load}, {@code maintenance} and {@code rule} as at the
 * start of the round; for {@code imbalance}, σ once the round's mandatory moves are done (when balancing was
 * decided).
 *
 * @param metric {@code imbalance}, {@code host_load}, {@code maintenance} or {@code rule}
 * @param value its value (σ; the source's load fraction; VMs on the host in maintenance; the rule's violation
 *        measure: members sharing a host beyond the first, distinct hosts beyond the first, or members on a wrong
 *        host)
 * @param threshold the threshold it was compared with
 * @param sustainedSeconds for how long it has been above the threshold, as far as the caller's history tells
 */
public record TriggerEvidence(String metric, double value, double threshold, long sustainedSeconds) {

    public TriggerEvidence {
        Objects.requireNonNull(metric, "metric");
    }
}
