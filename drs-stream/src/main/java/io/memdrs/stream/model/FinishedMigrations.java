package io.memdrs.stream.model;

import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationJobStats;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.engine.migrations.FinishedMigration;
import io.memdrs.engine.migrations.MigrationLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The engine's {@link MigrationLog} from the migration events the stream app kept. Pure. */
public final class FinishedMigrations {
    private FinishedMigrations() {}

    /**
     * @param events SUCCEEDED and FAILED events (others are ignored)
     * @param vmSizeKiB the model's size of each VM, for events whose job statistics lack libvirt's memory total
     */
    public static MigrationLog log(List<MigrationEvent> events, Map<String, Long> vmSizeKiB) {
        List<FinishedMigration> finished = new ArrayList<>(events.size());
        for (MigrationEvent e : events) {
            if (e.getStatus() != MigrationStatus.SUCCEEDED && e.getStatus() != MigrationStatus.FAILED) {
                continue;
            }
            MigrationJobStats job = e.getJob();
            long sizeKiB = job != null && job.getMemoryTotalBytes() != null && job.getMemoryTotalBytes() > 0
                    ? job.getMemoryTotalBytes() / 1024
                    : vmSizeKiB.getOrDefault(e.getVmUuid(), 0L);
            finished.add(new FinishedMigration(e.getVmUuid(), e.getSourceHost(), e.getTargetHost(),
                    e.getStatus() == MigrationStatus.SUCCEEDED, Instant.ofEpochMilli(e.getAtMillis()), sizeKiB,
                    transferredBytes(e), elapsedMillis(e), e.getReason()));
        }
        return MigrationLog.of(finished);
    }

    /** What the migration sent, from libvirt's job statistics, bytes; 0 when not reported. */
    public static long transferredBytes(MigrationEvent e) {
        MigrationJobStats job = e.getJob();
        return job == null || job.getDataTransferredBytes() == null ? 0 : job.getDataTransferredBytes();
    }

    /** How long it took: libvirt's elapsed time, else from STARTED to this event, milliseconds; 0 when not known. */
    public static long elapsedMillis(MigrationEvent e) {
        MigrationJobStats job = e.getJob();
        if (job != null && job.getTimeElapsedMillis() != null) {
            return job.getTimeElapsedMillis();
        }
        return e.getStartedAtMillis() != null ? Math.max(0, e.getAtMillis() - e.getStartedAtMillis()) : 0;
    }
}
