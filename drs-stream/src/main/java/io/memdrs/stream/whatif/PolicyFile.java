package io.memdrs.stream.whatif;

import io.memdrs.engine.Policy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A decision policy from a Java properties file, with the {@code drs.} keys of the stream app's configuration, so
 * that the stream app's own config file can be given to {@code what-if} as it is. Every key is optional (the default
 * is the built-in policy, {@link Policy#defaults()}):
 * <pre>
 * drs.migration-threshold=3          level 1 (mandatory only) … 5 (aggressive), see {@link Policy}
 * drs.high-watermark=0.90            no host above this load after a move
 * drs.min-goodness=0.002             minimum reduction of hosts × σ² of a balance move
 * drs.max-moves-per-round=16
 * drs.max-inflow-per-host=4
 * drs.max-outflow-per-host=4
 * drs.max-plan-moves=512             longest whole plan, cut into waves under the three caps above
 * drs.cooldown=1h                    durations: 90s, 30m, 1h, 2d or ISO-8601 (PT30M)
 * drs.no-return-window=24h
 * drs.recommendation.lifetime=5m
 * drs.lower-band=0.8                 a triggered round balances down to target × lower band
 * drs.move-overhead-kib=4194304      fixed cost of a migration added to the VM size
 * drs.goodness-tolerance=0.05        share of the best σ drop a move may give up to copy fewer bytes
 * drs.min-trusted-fraction=0.5       balance only when this share of demand has trusted statistics
 * drs.failed-target.penalty=30m      no balance move into a host whose migration failed this recently
 * drs.migration.assumed-mibps=1000   predicted bandwidth while no migration is measured
 * drs.policy.version=builtin-1
 * </pre>
 * Keys of the stream app that do not shape a plan ({@code drs.round.interval}, {@code drs.hold},
 * {@code drs.overload.threshold}, {@code drs.demand.*}, {@code drs.stale.periods}) and keys outside {@code drs.}
 * are ignored; any other {@code drs.} key is refused, naming it.
 */
public final class PolicyFile {
    private static final List<String> IGNORED = List.of("drs.round.interval", "drs.hold", "drs.overload.threshold",
            "drs.demand.half-life", "drs.demand.peak-window", "drs.stale.periods");
    private static final List<String> KEYS = List.of("drs.migration-threshold", "drs.high-watermark",
            "drs.min-goodness", "drs.max-moves-per-round", "drs.max-inflow-per-host", "drs.max-outflow-per-host",
            "drs.max-plan-moves",
            "drs.cooldown", "drs.no-return-window", "drs.recommendation.lifetime", "drs.lower-band",
            "drs.move-overhead-kib", "drs.goodness-tolerance", "drs.min-trusted-fraction", "drs.failed-target.penalty",
            "drs.migration.assumed-mibps", "drs.policy.version");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private PolicyFile() {
    }

    /** Reads a properties file (UTF-8). */
    public static Policy read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return parse(p);
    }

    /** The policy the properties describe; throws {@link PolicyValidationException} naming the first bad key. */
    public static Policy parse(Properties properties) {
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).strip();
            if (!key.startsWith("drs.") || IGNORED.contains(key)) {
                continue;
            }
            if (!KEYS.contains(key)) {
                throw new PolicyValidationException(key + ": unknown key; known policy keys: " + KEYS);
            }
            values.put(key, value);
        }
        Policy.Builder b = Policy.defaults().toBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            apply(b, e.getKey(), e.getValue());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new PolicyValidationException("policy: " + e.getMessage());
        }
    }

    private static void apply(Policy.Builder b, String key, String v) {
        switch (key) {
            case "drs.migration-threshold" -> b.migrationThreshold((int) integer(key, v, 1, 5));
            case "drs.high-watermark" -> b.highWatermark(decimal(key, v, 0.05, 1.5));
            case "drs.min-goodness" -> b.minGoodness(decimal(key, v, 0, 1));
            case "drs.max-moves-per-round" -> b.maxMovesPerRound((int) integer(key, v, 0, 100_000));
            case "drs.max-inflow-per-host" -> b.maxInflowPerHost((int) integer(key, v, 1, 100_000));
            case "drs.max-outflow-per-host" -> b.maxOutflowPerHost((int) integer(key, v, 1, 100_000));
            case "drs.max-plan-moves" -> b.maxPlanMoves((int) integer(key, v, 1, 100_000));
            case "drs.cooldown" -> b.cooldown(duration(key, v));
            case "drs.no-return-window" -> b.noReturnWindow(duration(key, v));
            case "drs.recommendation.lifetime" -> b.recommendationLifetime(duration(key, v));
            case "drs.lower-band" -> b.lowerBand(decimal(key, v, 0.001, 1));
            case "drs.move-overhead-kib" -> b.moveOverheadKiB(integer(key, v, 0, Long.MAX_VALUE));
            case "drs.goodness-tolerance" -> b.goodnessTolerance(decimal(key, v, 0, 1));
            case "drs.min-trusted-fraction" -> b.minTrustedDemandFraction(decimal(key, v, 0, 1));
            case "drs.failed-target.penalty" -> b.failedTargetPenalty(duration(key, v));
            case "drs.migration.assumed-mibps" -> b.assumedMigrationMiBps(decimal(key, v, 1, 1_000_000));
            case "drs.policy.version" -> {
                if (v.isBlank()) {
                    throw new PolicyValidationException(key + ": must not be empty");
                }
                b.version(v);
            }
            default -> throw new IllegalStateException(key);
        }
    }

    private static long integer(String key, String v, long min, long max) {
        long value;
        try {
            value = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new PolicyValidationException(key + ": not an integer: '" + v + "'");
        }
        if (value < min || value > max) {
            throw new PolicyValidationException(key + ": " + value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    private static double decimal(String key, String v, double min, double max) {
        double value;
        try {
            value = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new PolicyValidationException(key + ": not a number: '" + v + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new PolicyValidationException(key + ": " + v + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    /** {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}, {@code 250ms} or ISO-8601 ({@code PT30M}). */
    static Duration duration(String key, String v) {
        Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw new PolicyValidationException(key + ": not a duration: '" + v + "' (use e.g. 90s, 30m, 1h, 2d "
                        + "or PT30M)");
            }
        }
        if (d.isNegative()) {
            throw new PolicyValidationException(key + ": must not be negative");
        }
        return d;
    }
}
