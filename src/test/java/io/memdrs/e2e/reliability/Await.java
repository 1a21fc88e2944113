package io.memdrs.e2e.reliability;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits by polling with a deadline; a test never sleeps for an outcome. */
public final class Await {
    private Await() {}

    /** Checks {@code done} every 100 ms until it holds; fails naming {@code what} at the deadline. */
    public static void until(String what, Duration timeout, BooleanSupplier done) {
        until(what, timeout, done, Duration.ofMillis(100));
    }

    /** Checks {@code done} every {@code every} until it holds; fails naming {@code what} at the deadline. */
    public static void until(String what, Duration timeout, BooleanSupplier done, Duration every) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
            }
            pause(every.toMillis());
        }
    }

    /** Lets {@code duration} pass: for the length of an injected fault, never to wait for a result. */
    static void during(Duration duration, Runnable everySecond) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            everySecond.run();
            pause(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    static long secondsSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
