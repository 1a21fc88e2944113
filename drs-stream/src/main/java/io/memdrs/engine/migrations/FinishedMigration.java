package io.memdrs.engine.migrations;

import java.time.Instant;
import java.util.Objects;

/**
 * A live migration that a migration service finished or gave up, as it reported it (a {@code MigrationEvent} of
 * status SUCCEEDED or FAILED).
 *
 * @param vmUuid the VM
 * @param source the host it was to leave
 * @param target the host it was to go to
 * @param succeeded true when the VM now runs on the target
 * @param finishedAt when the migration ended
 * @param sizeKiB the VM's memory size, KiB (what a migration copies at least)
 * @param transferredBytes what libvirt's job statistics say was sent, bytes; 0 or less when not known
 * @param elapsedMillis how long the migration took, milliseconds; 0 or less when not known
 * @param error why it failed (libvirt's error), or null
 */
public record FinishedMigration(String vmUuid, String source, String target, boolean succeeded, Instant finishedAt,
        long sizeKiB, long transferredBytes, long elapsedMillis, String error) {

    public FinishedMigration {
        Objects.requireNonNull(vmUuid, "vmUuid");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    /** True when this migration can calibrate the cost model: it succeeded and its size, bytes and time are known. */
    public boolean measured() {
        return succeeded && sizeKiB > 0 && transferredBytes > 0 && elapsedMillis > 0;
    }
}
