package io.memdrs.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of the decision engine. Build one with {@link #builder()}; {@link #defaults()} is the built-in policy.
 *
 * <h2>Migration threshold level → target imbalance</h2>
 * Imbalance is the population standard deviation σ of host loads (loads as fractions, 0.73 = 73 %).
 * <pre>
 * level  target σ  meaning
 *   1      ∞       mandatory moves only (maintenance evacuation, must-rule violations)
 *   2     0.15     conservative: balance only a clearly skewed cluster
 *   3     0.10     default
 *   4     0.05     eager
 *   5     0.02     aggressive: balance even small differences
 * </pre>
 * A round balances when σ is above the target (hysteresis: once triggered it continues down to
 * {@code target × lowerBand}), or when a host is above the high watermark (from level 2). The caller keeps the
 * "sustained for the hold time" part of the hysteresis (BalanceReport outcome HOLDING).
 *
 * <h2>Goodness</h2>
 * The goodness of a move is how much it reduces {@code Σ_h (L_h − mean)²} = hosts × σ², the sum of squared
 * deviations of host loads. Unlike Δσ, it does not shrink as the cluster grows: moving 5 % of a host's capacity
 * from a host at 80 % to one at 40 % scores 2 × 0.05 × (0.40 − 0.05) = 0.035 in a 5-host and in a 1,000-host cluster.
 * A move must reach {@code minGoodness} to be recommended for balance.
 *
 * @param migrationThreshold level 1 (mandatory only) to 5 (aggressive)
 * @param highWatermark no host may end a move above this load (fraction of capacity)
 * @param minGoodness minimum goodness of a balance move
 * @param maxMovesPerRound cap on the migrations of one wave (the moves a round emits), cluster-wide, mandatory ones
 *        included
 * @param maxInflowPerHost cap on the VMs one host receives in a wave
 * @param maxOutflowPerHost cap on the VMs one host sends in a wave
 * @param maxPlanMoves cap on the moves of the whole plan a round makes before it cuts the plan into waves: the
 *        horizon (a round re-plans from fresh state anyway; this bounds the round's time on very large clusters)
 * @param cooldown a VM that moved less than this ago is not moved for balance
 * @param noReturnWindow a VM is not moved for balance back to the host it left less than this ago
 * @param recommendationLifetime a recommendation expires this long after its round
 * @param lowerBand once triggered, balancing continues until σ ≤ target × lowerBand (0 &lt; lowerBand ≤ 1)
 * @param moveOverheadKiB fixed cost of any migration, in KiB-equivalents, added to the VM's size in the
 *        benefit-per-byte ratio (setup, switch-over pause, the risk of one more operation)
 * @param goodnessTolerance how much of the best available benefit (drop of σ) a move may give up to copy fewer
 *        bytes: each step chooses, among the allowed moves whose benefit is at least
 *        {@code (1 − goodnessTolerance)} × the best one, the one with the most benefit per byte (0: steepest
 *        descent, ties by bytes; 1: pure benefit per byte)
 * @param minTrustedDemandFraction balance only when at least this fraction of the demand on balanced hosts comes
 *        from trusted (HIGH confidence) statistics
 * @param failedTargetPenalty a host into which a migration failed less than this ago is no target for balance
 *        moves (mandatory moves may still use it, correctness coming before stability, except for the VM whose
 *        migration failed there: it is not retried blindly)
 * @param assumedMigrationMiBps the effective bandwidth a migration is predicted with until the migration service has
 *        reported measured migrations (see {@link io.memdrs.engine.migrations.MigrationLog}), MiB/s
 * @param version version of this policy, copied into every recommendation
 */
public record Policy(int migrationThreshold, double highWatermark, double minGoodness, int maxMovesPerRound,
        int maxInflowPerHost, int maxOutflowPerHost, int maxPlanMoves, Duration cooldown, Duration noReturnWindow,
        Duration recommendationLifetime, double lowerBand, long moveOverheadKiB, double goodnessTolerance,
        double minTrustedDemandFraction, Duration failedTargetPenalty, double assumedMigrationMiBps, String version) {

    private static final double[] TARGETS = {Double.POSITIVE_INFINITY, 0.15, 0.10, 0.05, 0.02};

    public Policy {
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(noReturnWindow, "noReturnWindow");
        Objects.requireNonNull(recommendationLifetime, "recommendationLifetime");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(failedTargetPenalty, "failedTargetPenalty");
        require(migrationThreshold >= 1 && migrationThreshold <= 5, "migrationThreshold", "must be 1 to 5");
        require(highWatermark > 0 && highWatermark <= 1.5, "highWatermark", "must be in (0, 1.5]");
        require(minGoodness >= 0 && Double.isFinite(minGoodness), "minGoodness", "must be 0 or more");
        require(maxMovesPerRound >= 0, "maxMovesPerRound", "must be 0 or more");
        require(maxInflowPerHost >= 1, "maxInflowPerHost", "must be 1 or more");
        require(maxOutflowPerHost >= 1, "maxOutflowPerHost", "must be 1 or more");
        require(maxPlanMoves >= 1, "maxPlanMoves", "must be 1 or more");
        require(!cooldown.isNegative(), "cooldown", "must not be negative");
        require(!noReturnWindow.isNegative(), "noReturnWindow", "must not be negative");
        require(recommendationLifetime.compareTo(Duration.ZERO) > 0, "recommendationLifetime", "must be positive");
        require(lowerBand > 0 && lowerBand <= 1, "lowerBand", "must be in (0, 1]");
        require(moveOverheadKiB >= 0, "moveOverheadKiB", "must be 0 or more");
        require(goodnessTolerance >= 0 && goodnessTolerance <= 1, "goodnessTolerance", "must be in [0, 1]");
        require(minTrustedDemandFraction >= 0 && minTrustedDemandFraction <= 1, "minTrustedDemandFraction",
                "must be in [0, 1]");
        require(!failedTargetPenalty.isNegative(), "failedTargetPenalty", "must not be negative");
        require(assumedMigrationMiBps > 0 && Double.isFinite(assumedMigrationMiBps), "assumedMigrationMiBps",
                "must be positive");
        require(!version.isBlank(), "version", "must not be blank");
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw new IllegalArgumentException(field + " " + what);
        }
    }

    /** Target imbalance of a migration-threshold level (see the table above). */
    public static double targetForLevel(int level) {
        if (level < 1 || level > 5) {
            throw new IllegalArgumentException("migration threshold level must be 1 to 5, not " + level);
        }
        return TARGETS[level - 1];
    }

    /** Target imbalance of this policy's level: a round balances when σ is above it. */
    public double targetImbalance() {
        return targetForLevel(migrationThreshold);
    }

    /** Imbalance at which a triggered round stops balancing: {@code target × lowerBand}. */
    public double stopImbalance() {
        return targetImbalance() * lowerBand;
    }

    /** The built-in policy: level 3, high watermark 0.90, 16 moves per wave, 4 in and 4 out per host
     *  per wave, plans of up to 512 moves. */
    public static Policy defaults() {
        return builder().build();
    }

    /** A builder starting from the built-in values. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.migrationThreshold = migrationThreshold;
        b.highWatermark = highWatermark;
        b.minGoodness = minGoodness;
        b.maxMovesPerRound = maxMovesPerRound;
        b.maxInflowPerHost = maxInflowPerHost;
        b.maxOutflowPerHost = maxOutflowPerHost;
        b.maxPlanMoves = maxPlanMoves;
        b.cooldown = cooldown;
        b.noReturnWindow = noReturnWindow;
        b.recommendationLifetime = recommendationLifetime;
        b.lowerBand = lowerBand;
        b.moveOverheadKiB = moveOverheadKiB;
        b.goodnessTolerance = goodnessTolerance;
        b.minTrustedDemandFraction = minTrustedDemandFraction;
        b.failedTargetPenalty = failedTargetPenalty;
        b.assumedMigrationMiBps = assumedMigrationMiBps;
        b.version = version;
        return b;
    }

    /** Builds a {@link Policy}; every setter has the built-in value as default. */
    public static final class Builder {
        private int migrationThreshold = 3;
        private double highWatermark = 0.90;
        private double minGoodness = 0.002;
        private int maxMovesPerRound = 16;
        private int maxInflowPerHost = 4;
        private int maxOutflowPerHost = 4;
        private int maxPlanMoves = 512;
        private Duration cooldown = Duration.ofHours(1);
        private Duration noReturnWindow = Duration.ofHours(24);
        private Duration recommendationLifetime = Duration.ofMinutes(5);
        private double lowerBand = 0.8;
        private long moveOverheadKiB = 4L * 1024 * 1024;
        private double goodnessTolerance = 0.05;
        private double minTrustedDemandFraction = 0.5;
        private Duration failedTargetPenalty = Duration.ofMinutes(30);
        private double assumedMigrationMiBps = 1000;
        private String version = "builtin-1";

        private Builder() {
        }

        public Builder migrationThreshold(int level) {
            this.migrationThreshold = level;
            return this;
        }

        public Builder highWatermark(double fraction) {
            this.highWatermark = fraction;
            return this;
        }

        public Builder minGoodness(double goodness) {
            this.minGoodness = goodness;
            return this;
        }

        public Builder maxMovesPerRound(int moves) {
            this.maxMovesPerRound = moves;
            return this;
        }

        public Builder maxInflowPerHost(int moves) {
            this.maxInflowPerHost = moves;
            return this;
        }

        public Builder maxOutflowPerHost(int moves) {
            this.maxOutflowPerHost = moves;
            return this;
        }

        public Builder maxPlanMoves(int moves) {
            this.maxPlanMoves = moves;
            return this;
        }

        public Builder cooldown(Duration duration) {
            this.cooldown = duration;
            return this;
        }

        public Builder noReturnWindow(Duration duration) {
            this.noReturnWindow = duration;
            return this;
        }

        public Builder recommendationLifetime(Duration duration) {
            this.recommendationLifetime = duration;
            return this;
        }

        public Builder lowerBand(double fraction) {
            this.lowerBand = fraction;
            return this;
        }

        public Builder moveOverheadKiB(long kib) {
            this.moveOverheadKiB = kib;
            return this;
        }

        public Builder goodnessTolerance(double fraction) {
            this.goodnessTolerance = fraction;
            return this;
        }

        public Builder minTrustedDemandFraction(double fraction) {
            this.minTrustedDemandFraction = fraction;
            return this;
        }

        public Builder failedTargetPenalty(Duration duration) {
            this.failedTargetPenalty = duration;
            return this;
        }

        public Builder assumedMigrationMiBps(double mibps) {
            this.assumedMigrationMiBps = mibps;
            return this;
        }

        public Builder version(String policyVersion) {
            this.version = policyVersion;
            return this;
        }

        /** The policy; throws {@link IllegalArgumentException} naming the field when a value is out of range. */
        public Policy build() {
            return new Policy(migrationThreshold, highWatermark, minGoodness, maxMovesPerRound, maxInflowPerHost,
                    maxOutflowPerHost, maxPlanMoves, cooldown, noReturnWindow, recommendationLifetime, lowerBand, moveOverheadKiB,
                    goodnessTolerance, minTrustedDemandFraction, failedTargetPenalty, assumedMigrationMiBps, version);
        }
    }
}
