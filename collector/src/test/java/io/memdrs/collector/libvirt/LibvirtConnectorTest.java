package io.memdrs.collector.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector against the real libvirt test driver, whose connection fails for real while its node file is
 * missing: attempts are spaced by the backoff and the listener hears of each failure and of the reconnection.
 */
class LibvirtConnectorTest {
    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final List<String> heard = new ArrayList<>();
    private final LibvirtConnector.Listener recorder = new LibvirtConnector.Listener() {
        @Override
        public void lost(String uri, String reason, Duration nextAttemptIn) {
            heard.add("lost");
        }

        @Override
        public void attemptFailed(String uri, int attempt, String reason, Duration nextAttemptIn) {
            heard.add("failed " + attempt + ", next in " + nextAttemptIn.toSeconds() + " s");
        }

        @Override
        public void restored(String uri, int failedAttempts, Duration outage) {
            heard.add("restored after " + failedAttempts + " failed, outage " + outage.toSeconds() + " s");
        }
    };

    @Test
    void shouldRetryWithBackoffUntilLibvirtAnswersThenReportTheOutage() throws Exception {
        Path node = dir.resolve("node.xml");
        String uri = "test://" + node.toAbsolutePath();
        HandClock clock = new HandClock();
        try (LibvirtConnector connector = new LibvirtConnector(uri, true, Duration.ofSeconds(5), clock,
                Duration.ofSeconds(3))) {
            connector.addListener(recorder);

            LibvirtUnavailableException first = assertThrows(LibvirtUnavailableException.class, connector::session);
            assertTrue(first.getMessage().contains("open on " + uri), first.getMessage());
            assertFalse(connector.connected());
            assertEquals(Duration.ofSeconds(1), connector.untilNextAttempt());

            clock.advance(Duration.ofMillis(500));
            LibvirtUnavailableException early = assertThrows(LibvirtUnavailableException.class, connector::session);
            assertTrue(early.getMessage().contains("next connection attempt in 500 ms"), early.getMessage());

            clock.advance(Duration.ofMillis(500));
            assertThrows(LibvirtUnavailableException.class, connector::session);
            clock.advance(Duration.ofSeconds(2));
            assertThrows(LibvirtUnavailableException.class, connector::session);
            assertEquals(Duration.ofSeconds(3), connector.untilNextAttempt(), "capped at 3 s, not 4 s");

            TestDriverNode.write(node, 2);
            clock.advance(Duration.ofSeconds(3));
            LibvirtSession session = connector.session();

            assertTrue(connector.connected());
            assertEquals("TEST", session.driverType());
            assertSame(session, connector.session(), "an open session is reused");
            assertEquals(List.of("failed 1, next in 1 s", "failed 2, next in 2 s", "failed 3, next in 3 s",
                    "restored after 3 failed, outage 6 s"), heard);
        }
    }

    @Test
    void shouldSayNothingWhenTheFirstAttemptSucceeds() throws Exception {
        String uri = TestDriverNode.write(dir.resolve("node.xml"), 1);
        try (LibvirtConnector connector = new LibvirtConnector(uri, true, Duration.ofSeconds(5), Clock.systemUTC())) {
            connector.addListener(recorder);
            connector.session();
            connector.invalidate("a call failed on a working connection");
            assertTrue(connector.connected(), "a session that is not broken is kept");
        }
        assertEquals(List.of(), heard);
    }
}
