package io.memdrs.collector.libvirt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link LibvirtSession} open to a URI: opens it on demand, drops it when it breaks, and re-opens it with
 * exponential backoff (1 s, doubling, capped at {@code maxBackoff}) so that a restarting libvirtd is neither
 * hammered nor waited on long. Tells its {@link Listener}s when the connection is lost, when an attempt fails and
 * when it is back, and logs each of these once.
 */
public final class LibvirtConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LibvirtConnector.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);

    /** What happens to the connection; called under the connector's lock, so keep it quick. */
    public interface Listener {
        /** An open connection broke; the first reconnection attempt is {@code nextAttemptIn} away. */
        default void lost(String uri, String reason, Duration nextAttemptIn) {}

        /** Attempt number {@code attempt} of this outage failed; the next one is {@code nextAttemptIn} away. */
        default void attemptFailed(String uri, int attempt, String reason, Duration nextAttemptIn) {}

        /** A connection is open again after {@code failedAttempts} failed attempts and {@code outage} without one. */
        default void restored(String uri, int failedAttempts, Duration outage) {}
    }

    private final String uri;
    private final boolean readOnly;
    private final Duration callTimeout;
    private final Clock clock;
    private final ReconnectBackoff backoff;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private LibvirtSession session;
    private Instant outageSince;
    private int failedAttempts;

    public LibvirtConnector(String uri, boolean readOnly, Duration callTimeout, Clock clock) {
        this(uri, readOnly, callTimeout, clock, DEFAULT_MAX_BACKOFF);
    }

    /** @param maxBackoff the longest wait between two connection attempts (at least 1 s is used) */
    public LibvirtConnector(String uri, boolean readOnly, Duration callTimeout, Clock clock, Duration maxBackoff) {
        this.uri = uri;
        this.readOnly = readOnly;
        this.callTimeout = callTimeout;
        this.clock = clock;
        this.backoff = new ReconnectBackoff(FIRST_BACKOFF,
                maxBackoff.compareTo(FIRST_BACKOFF) < 0 ? FIRST_BACKOFF : maxBackoff);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** The open session, opening one if the backoff allows; throws while libvirt is unavailable. */
    public synchronized LibvirtSession session() throws LibvirtUnavailableException {
        if (connected()) {
            return session;
        }
        Instant now = clock.instant();
        if (session != null) {
            drop(now, "the connection broke");
        }
        if (!backoff.mayAttempt(now)) {
            throw new LibvirtUnavailableException("libvirt at " + uri + " unavailable; next connection attempt in "
                    + backoff.untilNextAttempt(now).toMillis() + " ms", null);
        }
        try {
            session = LibvirtSession.open(uri, readOnly, callTimeout);
        } catch (LibvirtUnavailableException e) {
            if (outageSince == null) {
                outageSince = now;
            }
            failedAttempts++;
            Duration next = backoff.failed(now);
            log.warn("connection attempt {} to {} failed: {}; next attempt in {} ms", failedAttempts, uri,
                    e.getMessage(), next.toMillis());
            listeners.forEach(l -> l.attemptFailed(uri, failedAttempts, e.getMessage(), next));
            throw e;
        }
        if (outageSince != null) {
            Duration outage = Duration.between(outageSince, clock.instant());
            log.info("libvirt connection to {} re-established after {} failed attempt(s); outage lasted {} ms", uri,
                    failedAttempts, outage.toMillis());
            int attempts = failedAttempts;
            listeners.forEach(l -> l.restored(uri, attempts, outage));
        }
        outageSince = null;
        failedAttempts = 0;
        backoff.succeeded();
        return session;
    }

    /** Reports that a call on the current session failed with {@code reason}: a broken session is dropped. */
    public synchronized void invalidate(String reason) {
        if (session != null && session.isBroken()) {
            drop(clock.instant(), reason);
        }
    }

    private void drop(Instant now, String reason) {
        session.close();
        session = null;
        outageSince = now;
        failedAttempts = 0;
        Duration next = backoff.failed(now);
        log.warn("libvirt connection to {} lost ({}); reconnecting with backoff, first attempt in {} ms", uri, reason,
                next.toMillis());
        listeners.forEach(l -> l.lost(uri, reason, next));
    }

    /** How long until the next connection attempt is allowed: zero while connected or when one may be made now. */
    public synchronized Duration untilNextAttempt() {
        return connected() ? Duration.ZERO : backoff.untilNextAttempt(clock.instant());
    }

    /** Whether a working session is open. */
    public synchronized boolean connected() {
        return session != null && !session.isBroken();
    }

    public String uri() {
        return uri;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
