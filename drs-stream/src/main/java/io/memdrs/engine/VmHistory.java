package io.memdrs.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * The last observed migration of a VM, for the cooldown and the no-return rule.
 *
 * @param vmUuid the VM
 * @param lastMoveAt when it last changed host
 * @param leftHost the host it left then
 */
public record VmHistory(String vmUuid, Instant lastMoveAt, String leftHost) {

    public VmHistory {
        Objects.requireNonNull(vmUuid, "vmUuid");
        Objects.requireNonNull(lastMoveAt, "lastMoveAt");
        Objects.requireNonNull(leftHost, "leftHost");
    }
}
