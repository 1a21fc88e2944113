package io.memdrs.collector.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void shouldWaitOneSecondThenDoubleUpToTheCap() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        List<Long> waits = new ArrayList<>();
        Instant now = T0;
        for (int i = 0; i < 6; i++) {
            Duration wait = backoff.failed(now);
            waits.add(wait.toSeconds());
            now = now.plus(wait);
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 10L, 10L), waits);
        assertEquals(6, backoff.failures());
    }

    @Test
    void shouldRefuseAnAttemptUntilTheWaitHasPassed() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertTrue(backoff.mayAttempt(T0), "no failure yet");
        backoff.failed(T0);
        assertFalse(backoff.mayAttempt(T0.plusMillis(899)));
        assertEquals(Duration.ofMillis(101), backoff.untilNextAttempt(T0.plusMillis(899)));
        assertTrue(backoff.mayAttempt(T0.plusMillis(900)), "100 ms early is on time: a poll is not refused for that");
        assertTrue(backoff.mayAttempt(T0.plusSeconds(1)));
        assertEquals(Duration.ZERO, backoff.untilNextAttempt(T0.plusSeconds(5)));
    }

    @Test
    void shouldStartOverAfterASuccess() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        backoff.failed(T0);
        backoff.failed(T0.plusSeconds(1));
        backoff.failed(T0.plusSeconds(3));
        backoff.succeeded();
        assertEquals(0, backoff.failures());
        assertTrue(backoff.mayAttempt(T0.plusSeconds(3)));
        assertEquals(Duration.ofSeconds(1), backoff.failed(T0.plusSeconds(10)));
    }

    @Test
    void shouldRejectACapBelowTheFirstWait() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("first PT2S"), e.getMessage());
    }
}
