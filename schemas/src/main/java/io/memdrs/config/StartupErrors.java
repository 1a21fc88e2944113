package io.memdrs.config;

import java.util.Optional;

/**
 * Recognises a bad configuration behind a start-up failure: our own {@link ConfigException}, or a Kafka client's
 * {@code org.apache.kafka.common.config.ConfigException} about a {@code kafka.}/{@code streams.} pass-through key,
 * possibly wrapped (a producer says "Failed to construct kafka producer" around it). Both mean exit code 2.
 */
public final class StartupErrors {
    private StartupErrors() {}

    /** The operator-facing message when {@code error} is a configuration error, else empty. */
    public static Optional<String> configurationProblem(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigException own) {
                return Optional.of(own.getMessage());
            }
            if (t instanceof org.apache.kafka.common.config.ConfigException kafka) {
                return Optional.of("a Kafka client setting (kafka.* or streams.* key) is invalid: " + kafka.getMessage());
            }
        }
        return Optional.empty();
    }
}
