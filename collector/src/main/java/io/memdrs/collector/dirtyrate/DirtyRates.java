package io.memdrs.collector.dirtyrate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * When to measure the VMs' memory dirty rates and what was last measured. A measurement is started every
 * {@code interval}; its result is read at the next one, so each VM's rate is at most two intervals old, and a rate
 * older than three intervals (a VM that stopped being measured) is no longer reported. Pure.
 */
public final class DirtyRates {
    private record Reading(long bytesPerSecond, Instant at) {}

    private final Duration interval;
    private final Map<String, Reading> latest = new HashMap<>();
    private Instant lastRound;
    private boolean unsupported;

    /** @param interval how often to measure; zero turns measuring off */
    public DirtyRates(Duration interval) {
        this.interval = interval;
    }

    /** True when a measurement round is due at {@code now}. */
    public boolean due(Instant now) {
        return !interval.isZero() && !unsupported
                && (lastRound == null || !now.isBefore(lastRound.plus(interval)));
    }

    /** Takes a round's finished measurements; VMs it did not see keep theirs until they are too old. */
    public void measured(Map<String, Long> bytesPerSecond, Instant now) {
        lastRound = now;
        bytesPerSecond.forEach((uuid, rate) -> latest.put(uuid, new Reading(rate, now)));
    }

    /** Stops measuring on this connection: the driver does not offer it. */
    public void unsupported() {
        unsupported = true;
    }

    /** Forgets VMs that are no longer running here. */
    public void retainOnly(Set<String> uuids) {
        latest.keySet().retainAll(uuids);
    }

    /** The VM's latest rate in bytes per second, or null when none is recent enough. */
    public Long rateOf(String uuid, Instant now) {
        Reading r = latest.get(uuid);
        if (r == null || interval.isZero() || now.isAfter(r.at().plus(interval.multipliedBy(3)))) {
            return null;
        }
        return r.bytesPerSecond();
    }
}
