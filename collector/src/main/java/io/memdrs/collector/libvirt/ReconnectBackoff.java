package io.memdrs.collector.libvirt;

import java.time.Duration;
import java.time.Instant;

/**
 * When to try a connection again after failures: the first retry after {@code first}, each further one after twice
 * the previous wait, never longer than {@code max}; a success starts over. An attempt up to {@link #EARLY} before
 * its time is allowed: a scheduled poll a few milliseconds early should not be refused and retried. Pure: time comes
 * in as arguments.
 */
public final class ReconnectBackoff {
    /** How much earlier than its time an attempt is still allowed. */
    static final Duration EARLY = Duration.ofMillis(100);

    private final Duration first;
    private final Duration max;
    private Duration wait = Duration.ZERO;
    private Instant nextAttempt = Instant.MIN;
    private int failures;

    public ReconnectBackoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max, got first " + first + ", max " + max);
        }
        this.first = first;
        this.max = max;
    }

    /** Whether an attempt may be made at {@code now}. */
    public boolean mayAttempt(Instant now) {
        return !now.plus(EARLY).isBefore(nextAttempt);
    }

    /** How long from {@code now} until the next attempt is allowed; zero when it is allowed now. */
    public Duration untilNextAttempt(Instant now) {
        return mayAttempt(now) ? Duration.ZERO : Duration.between(now, nextAttempt);
    }

    /** Records a failed attempt (or a lost connection) at {@code now}; returns the wait before the next attempt. */
    public Duration failed(Instant now) {
        failures++;
        wait = wait.isZero() ? first : min(wait.multipliedBy(2), max);
        nextAttempt = now.plus(wait);
        return wait;
    }

    /** Records a successful attempt: the next failure waits {@code first} again. */
    public void succeeded() {
        failures = 0;
        wait = Duration.ZERO;
        nextAttempt = Instant.MIN;
    }

    /** Failures since the last success. */
    public int failures() {
        return failures;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
