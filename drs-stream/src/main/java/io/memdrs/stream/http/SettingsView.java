package io.memdrs.stream.http;

import io.memdrs.engine.Policy;
import io.memdrs.stream.config.DrsSettings;

/**
 * {@code GET /config}: the decision settings a dashboard or operator needs to read the numbers (not the Kafka
 * configuration: that may hold secrets).
 *
 * @param instance host:port of the instance that answered
 * @param highWatermark drs.high-watermark, a fraction of host capacity
 * @param overloadThreshold drs.overload.threshold
 * @param migrationThreshold drs.migration-threshold, 1 (mandatory moves only) to 5 (aggressive)
 * @param targetImbalance the level's target σ; null for level 1
 * @param roundIntervalSeconds drs.round.interval
 * @param holdSeconds drs.hold
 * @param stalePeriods drs.stale.periods
 * @param recommendationLifetimeSeconds drs.recommendation.lifetime
 * @param policyVersion drs.policy.version
 */
record SettingsView(String instance, double highWatermark, double overloadThreshold, int migrationThreshold,
                    Double targetImbalance, long roundIntervalSeconds, long holdSeconds, int stalePeriods,
                    long recommendationLifetimeSeconds, String policyVersion) {

    static SettingsView of(DrsSettings settings, String instance) {
        Policy p = settings.policy();
        return new SettingsView(instance, p.highWatermark(), settings.overloadThreshold(), p.migrationThreshold(),
                Json.finite(p.targetImbalance()), settings.roundInterval().toSeconds(), settings.hold().toSeconds(),
                settings.stalePeriods(), p.recommendationLifetime().toSeconds(), p.version());
    }
}
