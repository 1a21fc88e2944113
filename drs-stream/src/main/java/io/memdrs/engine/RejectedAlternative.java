package io.memdrs.engine;

import java.util.Objects;

/**
 * A move the engine considered and did not choose.
 *
 * @param vmUuid the VM of the alternative
 * @param vmName its name
 * @param targetHost the target of the alternative, or null when the VM was rejected as a whole
 * @param kind why, as a category
 * @param reason why, with the numbers, e.g. "h3 would reach 93.1 % > high watermark 90.0 %"
 */
public record RejectedAlternative(String vmUuid, String vmName, String targetHost, RejectionKind kind, String reason) {

    public RejectedAlternative {
        Objects.requireNonNull(vmUuid, "vmUuid");
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
