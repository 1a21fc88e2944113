package io.memdrs.collector.libvirt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link LibvirtSession} open to a URI: opens it on demand, drops it when it breaks, and re-opens it with
 * exponential backoff (1 s doubling to 60 s) so that a restarting libvirtd is neither hammered nor waited on long.
 */
public final class LibvirtConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LibvirtConnector.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final String uri;
    private final boolean readOnly;
    private final Duration callTimeout;
    private final Clock clock;
    private LibvirtSession session;
    private Duration backoff = Duration.ZERO;
    private Instant nextAttempt = Instant.MIN;
    private int failuresInARow;

    public LibvirtConnector(String uri, boolean readOnly, Duration callTimeout, Clock clock) {
        this.uri = uri;
        this.readOnly = readOnly;
        this.callTimeout = callTimeout;
        this.clock = clock;
    }

    /** The open session, opening one if the backoff allows; throws while libvirt is unavailable. */
    public synchronized LibvirtSession session() throws LibvirtUnavailableException {
        if (session != null && !session.isBroken()) {
            return session;
        }
        if (session != null) {
            session.close();
            session = null;
            log.warn("libvirt connection to {} lost; reconnecting with backoff", uri);
        }
        Instant now = clock.instant();
        if (now.isBefore(nextAttempt)) {
            throw new LibvirtUnavailableException("libvirt at " + uri + " unavailable; next connection attempt in "
                    + Duration.between(now, nextAttempt).toMillis() + " ms", null);
        }
        try {
            session = LibvirtSession.open(uri, readOnly, callTimeout);
            if (failuresInARow > 0) {
                log.info("libvirt connection to {} re-established after {} failed attempts", uri, failuresInARow);
            }
            failuresInARow = 0;
            backoff = Duration.ZERO;
            return session;
        } catch (LibvirtUnavailableException e) {
            failuresInARow++;
            backoff = backoff.isZero() ? FIRST_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
            nextAttempt = now.plus(backoff);
            throw e;
        }
    }

    /** Reports that the current session failed, so the next {@link #session()} reconnects. */
    public synchronized void invalidate() {
        if (session != null && session.isBroken()) {
            session.close();
            session = null;
            failuresInARow++;
            backoff = FIRST_BACKOFF;
            nextAttempt = clock.instant().plus(backoff);
        }
    }

    public String uri() {
        return uri;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
