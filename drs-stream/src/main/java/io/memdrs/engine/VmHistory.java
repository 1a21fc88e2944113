package io.memdrs.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The observed migrations of a VM, for the cooldown and the no-return rule.
 *
 * @param vmUuid the VM
 * @param lastMoveAt when it last changed host
 * @param leftHost the host it left then
 * @param earlierLeftHosts other hosts it left before, with when it left each (may be empty): a balance move never
 *        takes the VM back to any host it left within the no-return window
 */
public record VmHistory(String vmUuid, Instant lastMoveAt, String leftHost, Map<String, Instant> earlierLeftHosts) {

    public VmHistory {
        Objects.requireNonNull(vmUuid, "vmUuid");
        Objects.requireNonNull(lastMoveAt, "lastMoveAt");
        Objects.requireNonNull(leftHost, "leftHost");
        earlierLeftHosts = earlierLeftHosts == null ? Map.of() : Map.copyOf(earlierLeftHosts);
    }

    /** The last move only. */
    public VmHistory(String vmUuid, Instant lastMoveAt, String leftHost) {
        this(vmUuid, lastMoveAt, leftHost, Map.of());
    }

    /** When the VM last left the host, or null if the history does not say. */
    public Instant leftAt(String host) {
        if (leftHost.equals(host)) {
            return lastMoveAt;
        }
        return earlierLeftHosts.get(host);
    }
}
