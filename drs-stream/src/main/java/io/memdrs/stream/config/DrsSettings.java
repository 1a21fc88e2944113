package io.memdrs.stream.config;

import io.memdrs.config.ConfigException;
import io.memdrs.config.ConfigSource;
import io.memdrs.engine.Policy;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the stream app models demand and when it runs decision rounds, plus the engine's {@link Policy}; the
 * {@code drs.} keys of the configuration.
 *
 * @param roundInterval drs.round.interval: a decision round per cluster this often (wall clock)
 * @param hold drs.hold: how long the imbalance must stay above target, or a host above the overload threshold,
 *             before balancing acts (mandatory moves never wait)
 * @param overloadThreshold drs.overload.threshold: a host above this load for {@code hold} triggers a round at once
 * @param halfLife drs.demand.half-life: half-life of the demand's moving average
 * @param peakWindow drs.demand.peak-window: the recent peak kept beside the average
 * @param stalePeriods drs.stale.periods: a VM or host not heard from for this many poll periods is dropped / unknown
 * @param policy the engine's knobs (drs.migration-threshold, drs.high-watermark, ...)
 */
public record DrsSettings(Duration roundInterval, Duration hold, double overloadThreshold, Duration halfLife,
                          Duration peakWindow, int stalePeriods, Policy policy) {

    static final Set<String> KEYS = Set.of("drs.round.interval", "drs.hold", "drs.overload.threshold",
            "drs.demand.half-life", "drs.demand.peak-window", "drs.stale.periods", "drs.migration-threshold",
            "drs.high-watermark", "drs.min-goodness", "drs.max-moves-per-round", "drs.max-inflow-per-host",
            "drs.max-outflow-per-host", "drs.max-plan-moves", "drs.cooldown", "drs.no-return-window", "drs.recommendation.lifetime",
            "drs.failed-target.penalty", "drs.migration.assumed-mibps", "drs.policy.version");

    public static DrsSettings defaults() {
        return from(ConfigSource.of(java.util.Map.of()));
    }

    public static DrsSettings from(ConfigSource configured) {
        ConfigSource source = configured.canonical("drs.", KEYS);
        for (String key : source.keys()) {
            if (key.startsWith("drs.") && !KEYS.contains(key)) {
                throw new ConfigException(key, "unknown key; known drs keys: " + new TreeSet<>(KEYS));
            }
        }
        Policy.Builder policy = Policy.builder()
                .migrationThreshold(source.integer("drs.migration-threshold", 3, 1, 5))
                .highWatermark(source.decimal("drs.high-watermark", 0.90, 0.05, 1.5))
                .minGoodness(source.decimal("drs.min-goodness", 0.002, 0, 1))
                .maxMovesPerRound(source.integer("drs.max-moves-per-round", 16, 0, 10_000))
                .maxInflowPerHost(source.integer("drs.max-inflow-per-host", 4, 1, 1_000))
                .maxOutflowPerHost(source.integer("drs.max-outflow-per-host", 4, 1, 1_000))
                .maxPlanMoves(source.integer("drs.max-plan-moves", 512, 1, 100_000))
                .cooldown(source.duration("drs.cooldown", Duration.ofHours(1), Duration.ZERO, Duration.ofDays(30)))
                .noReturnWindow(source.duration("drs.no-return-window", Duration.ofHours(24), Duration.ZERO, Duration.ofDays(30)))
                .recommendationLifetime(source.duration("drs.recommendation.lifetime", Duration.ofMinutes(5),
                        Duration.ofSeconds(1), Duration.ofDays(1)))
                .failedTargetPenalty(source.duration("drs.failed-target.penalty", Duration.ofMinutes(30), Duration.ZERO,
                        Duration.ofDays(7)))
                .assumedMigrationMiBps(source.decimal("drs.migration.assumed-mibps", 1000, 1, 1_000_000))
                .version(source.string("drs.policy.version", "builtin-1"));
        double highWatermark = source.decimal("drs.high-watermark", 0.90, 0.05, 1.5);
        return new DrsSettings(
                source.duration("drs.round.interval", Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofHours(24)),
                source.duration("drs.hold", Duration.ofMinutes(5), Duration.ZERO, Duration.ofDays(1)),
                source.decimal("drs.overload.threshold", highWatermark, 0.05, 1.5),
                source.duration("drs.demand.half-life", Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofDays(1)),
                source.duration("drs.demand.peak-window", Duration.ofMinutes(10), Duration.ZERO, Duration.ofDays(1)),
                source.integer("drs.stale.periods", 3, 1, 1_000),
                policy.build());
    }
}
