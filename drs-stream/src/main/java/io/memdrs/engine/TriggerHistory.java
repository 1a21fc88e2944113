package io.memdrs.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Since when the triggers have held, as tracked by the caller (the stream app keeps this state between rounds);
 * it only feeds the "for how long" of the trigger evidence.
 *
 * @param imbalanceAboveTargetSince since when the imbalance has been above the target, if it is
 * @param hostAboveWatermarkSince per host name, since when its load has been above the high watermark
 */
public record TriggerHistory(Optional<Instant> imbalanceAboveTargetSince, Map<String, Instant> hostAboveWatermarkSince) {

    /** No history: every trigger counts as sustained for 0 s. */
    public static final TriggerHistory NONE = new TriggerHistory(Optional.empty(), Map.of());

    public TriggerHistory {
        imbalanceAboveTargetSince = imbalanceAboveTargetSince == null ? Optional.empty() : imbalanceAboveTargetSince;
        hostAboveWatermarkSince = Map.copyOf(hostAboveWatermarkSince);
    }
}
