package io.memdrs.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One program's configuration: a properties file, overridden by environment variables. The variable for a key is
 * {@code MEMDRS_} + the key upper-cased with dots and dashes as underscores ({@code kafka.bootstrap.servers} →
 * {@code MEMDRS_KAFKA_BOOTSTRAP_SERVERS}). Typed getters fail with a {@link ConfigException} naming the key.
 * Immutable.
 */
public final class ConfigSource {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private final Map<String, String> values;
    private final String origin;

    private ConfigSource(Map<String, String> values, String origin) {
        this.values = Map.copyOf(values);
        this.origin = origin;
    }

    /** Reads {@code file} (if not null) and applies the environment overrides for every {@code prefixes} key. */
    public static ConfigSource load(Path file, Map<String, String> environment, String... prefixes) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (NoSuchFileException e) {
                throw new ConfigException("--config", "file " + file + " does not exist");
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).strip()));
        }
        environment.forEach((name, value) -> {
            if (!name.startsWith("MEMDRS_")) {
                return;
            }
            String rest = name.substring("MEMDRS_".length()).toLowerCase(Locale.ROOT);
            for (String prefix : prefixes) {
                String envPrefix = prefix.replace('.', '_').replace('-', '_');
                if (rest.startsWith(envPrefix)) {
                    values.put(keyFor(rest, values), value.strip());
                }
            }
        });
        return new ConfigSource(values, file == null ? "environment" : file.toString());
    }

    /** A source over the given values alone (tests, embedded use). */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values, "defaults");
    }

    /** Maps an environment variable's key back to a file key, preferring one the file already has. */
    private static String keyFor(String envKey, Map<String, String> fileValues) {
        for (String key : fileValues.keySet()) {
            if (key.replace('.', '_').replace('-', '_').equals(envKey)) {
                return key;
            }
        }
        return envKey.replace('_', '.');
    }

    public String origin() {
        return origin;
    }

    public Optional<String> get(String key) {
        String value = values.get(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new ConfigException(key, "is required (set it in " + origin
                + " or as MEMDRS_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")"));
    }

    public String string(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public int integer(String key, int fallback, int min, int max) {
        long value = longValue(key, fallback, min, max);
        return (int) value;
    }

    public long longValue(String key, long fallback, long min, long max) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + raw.get() + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new ConfigException(key, value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    public double decimal(String key, double fallback, double min, double max) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + raw.get() + "' is not a number");
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(key, raw.get() + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "'" + raw.get() + "' is not true or false");
        };
    }

    /** A duration such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    public Duration duration(String key, Duration fallback, Duration min, Duration max) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(raw.get().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(key, "'" + raw.get() + "' is not a duration like 500ms, 10s, 5m or 1h");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration value = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(key, raw.get() + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    /** Every key under {@code prefix}, with the prefix removed (e.g. the Kafka client properties). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /**
     * This source with every key under {@code prefix} that spells a known key with other separators renamed to it:
     * an environment variable cannot carry dashes, so {@code MEMDRS_STREAM_STATE_DIR} arrives as
     * {@code stream.state.dir} and stands for {@code stream.state-dir}.
     */
    public ConfigSource canonical(String prefix, java.util.Set<String> knownKeys) {
        Map<String, String> renamed = new TreeMap<>();
        boolean changed = false;
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(prefix) && !knownKeys.contains(key)) {
                String flat = flat(key);
                String known = knownKeys.stream().filter(k -> flat(k).equals(flat)).findFirst().orElse(key);
                changed |= !known.equals(key);
                key = known;
            }
            renamed.put(key, e.getValue());
        }
        return changed ? new ConfigSource(renamed, origin) : this;
    }

    private static String flat(String key) {
        return key.replace('-', '.').replace('_', '.');
    }

    /** Every key, for checking that no unknown key under a program's own prefix is present. */
    public java.util.Set<String> keys() {
        return values.keySet();
    }
}
