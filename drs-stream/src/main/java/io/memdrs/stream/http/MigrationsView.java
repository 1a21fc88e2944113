package io.memdrs.stream.http;

import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationJobStats;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.engine.migrations.PairCalibration;
import io.memdrs.stream.model.FinishedMigrations;
import io.memdrs.stream.state.VmState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /clusters/{id}/migrations}: the live migrations the migration service finished (SUCCEEDED or FAILED,
 * as its {@code MigrationEvent}s reported them; the newest kept first), each with what the DRS predicted beside what
 * libvirt measured, and the calibration each measured host pair gives the next prediction.
 *
 * @param cluster cluster id
 * @param succeeded how many of the kept migrations succeeded
 * @param failed how many failed
 * @param migrations the kept migrations, newest first
 * @param pairs the calibration of every host pair with a measured migration, by source then target
 */
record MigrationsView(String cluster, int succeeded, int failed, List<Row> migrations, List<Pair> pairs) {

    /**
     * One finished migration.
     *
     * @param recommendationId the recommendation it carried out
     * @param vmUuid the VM
     * @param vmName its name
     * @param source the host it left (or was to leave)
     * @param target the host it went to (or was to go to)
     * @param status SUCCEEDED or FAILED
     * @param finishedAtMillis when it ended, epoch millis
     * @param predictedDurationMillis what the DRS predicted, milliseconds
     * @param durationMillis what it took: libvirt's elapsed time, else from STARTED to the end; null when not known
     * @param durationRatio actual / predicted duration; null when either is not known
     * @param predictedBytes what the DRS predicted it would send, bytes
     * @param transferredBytes what libvirt says it sent, bytes; null when not reported
     * @param bytesRatio sent / predicted bytes; null when either is not known
     * @param downtimeMillis how long the guest was paused for the switch-over; null when not reported
     * @param memoryIterations passes over guest memory; null when not reported
     * @param dirtyRateBytesPerSecond how fast the guest dirtied memory during the copy; null when not reported
     * @param error why it failed (libvirt's error), or null
     */
    record Row(String recommendationId, String vmUuid, String vmName, String source, String target, String status,
               long finishedAtMillis, long predictedDurationMillis, Long durationMillis, Double durationRatio,
               long predictedBytes, Long transferredBytes, Double bytesRatio, Long downtimeMillis,
               Long memoryIterations, Long dirtyRateBytesPerSecond, String error) {}

    /**
     * A measured host pair.
     *
     * @param source the host VMs left
     * @param target the host they went to
     * @param measured how many measured migrations the figures come from (the newest, at most ten)
     * @param mibPerSecond effective bandwidth, MiB/s
     * @param bytesSentPerByte copy overhead: bytes sent per byte of VM memory
     * @param lastPredictedDurationMillis the newest measured migration's predicted duration, milliseconds
     * @param lastDurationMillis its actual duration, milliseconds
     */
    record Pair(String source, String target, int measured, double mibPerSecond, double bytesSentPerByte,
                long lastPredictedDurationMillis, long lastDurationMillis) {}

    static MigrationsView of(ClusterData data) {
        List<MigrationEvent> events = data.migrations();
        List<Row> rows = new ArrayList<>(events.size());
        int succeeded = 0;
        Map<String, MigrationEvent> lastMeasured = new HashMap<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            MigrationEvent e = events.get(i);
            boolean ok = e.getStatus() == MigrationStatus.SUCCEEDED;
            succeeded += ok ? 1 : 0;
            rows.add(row(e));
            if (ok && FinishedMigrations.elapsedMillis(e) > 0 && FinishedMigrations.transferredBytes(e) > 0) {
                lastMeasured.putIfAbsent(e.getSourceHost() + '\n' + e.getTargetHost(), e);
            }
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (VmState vm : data.vms()) {
            sizes.put(vm.getVmUuid(), vm.getSizeKiB());
        }
        List<Pair> pairs = new ArrayList<>();
        for (PairCalibration c : FinishedMigrations.log(events, sizes).calibrations()) {
            MigrationEvent last = lastMeasured.get(c.source() + '\n' + c.target());
            pairs.add(new Pair(c.source(), c.target(), c.measured(), c.mibPerSecond(), c.bytesSentPerByte(),
                    last == null ? 0 : last.getPredictedDurationMillis(),
                    last == null ? 0 : FinishedMigrations.elapsedMillis(last)));
        }
        return new MigrationsView(data.cluster(), succeeded, events.size() - succeeded, rows, pairs);
    }

    private static Row row(MigrationEvent e) {
        long elapsed = FinishedMigrations.elapsedMillis(e);
        long sent = FinishedMigrations.transferredBytes(e);
        MigrationJobStats job = e.getJob();
        return new Row(e.getRecommendationId(), e.getVmUuid(), e.getVmName(), e.getSourceHost(), e.getTargetHost(),
                e.getStatus().name(), e.getAtMillis(), e.getPredictedDurationMillis(), elapsed > 0 ? elapsed : null,
                ratio(elapsed, e.getPredictedDurationMillis()), e.getPredictedBytes(), sent > 0 ? sent : null,
                ratio(sent, e.getPredictedBytes()), job == null ? null : job.getDowntimeMillis(),
                job == null ? null : job.getMemoryIterations(), job == null ? null : job.getDirtyRateBytesPerSecond(),
                e.getStatus() == MigrationStatus.FAILED ? e.getReason() : null);
    }

    private static Double ratio(long actual, long predicted) {
        return actual > 0 && predicted > 0 ? (double) actual / predicted : null;
    }
}
