package io.memdrs.stream.http;

import io.memdrs.engine.Vm;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.model.SnapshotBuilder;
import io.memdrs.stream.state.VmState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /clusters/{id}/vms}: every VM of the model with its host, demand, stats health and the collector's
 * hint; VMs whose statistics cannot be used are counted at a conservative bound and never moved on that basis.
 *
 * @param cluster cluster id
 * @param computedAtMillis when this view was computed, epoch millis
 * @param health VMs per stats health
 * @param unusable VMs whose statistics cannot be used (health other than OK and PARTIAL)
 * @param vms the VMs, by host then name
 */
record VmsView(String cluster, long computedAtMillis, Map<String, Integer> health, int unusable, List<Row> vms) {

    /**
     * One VM.
     *
     * @param uuid libvirt UUID
     * @param name domain name
     * @param host host it was last seen on
     * @param demandKiB the demand it adds to its host, KiB
     * @param usageKiB last reported usage, KiB
     * @param smoothedKiB moving average of usage, KiB
     * @param peakKiB recent peak of usage, KiB
     * @param sizeKiB memory size: what a migration copies at least, KiB
     * @param health stats health of the last sample (OK, PARTIAL, NO_BALLOON, STATS_PERIOD_DISABLED, ...)
     * @param usable whether the statistics can drive a move (health OK or PARTIAL)
     * @param confidence HIGH when usable, LOW when the demand is a conservative bound
     * @param hint what to do about the statistics, from the collector
     * @param movable false when an operator pinned it, or a recommendation to move it is still live
     * @param stale true when its host has not reported it for the stale periods (the next round drops it)
     * @param lastSampleMillis time of its last sample, epoch millis
     * @param leftHost host it left in its last observed migration, or null
     * @param lastMoveMillis when that migration was observed, epoch millis (0: never)
     */
    record Row(String uuid, String name, String host, long demandKiB, long usageKiB, double smoothedKiB,
               long peakKiB, long sizeKiB, String health, boolean usable, String confidence, String hint,
               boolean movable, boolean stale, long lastSampleMillis, String leftHost, long lastMoveMillis) {}

    static VmsView of(ClusterData data, DrsSettings settings, long nowMillis) {
        SnapshotBuilder.Result model = ModelSnapshot.of(data, settings, nowMillis);
        Map<String, Vm> engineVms = new HashMap<>();
        model.snapshot().vms().forEach(vm -> engineVms.put(vm.uuid(), vm));
        Map<String, Integer> health = new TreeMap<>();
        List<Row> rows = new ArrayList<>();
        int unusable = 0;
        for (VmState v : data.vms()) {
            Vm engineVm = engineVms.get(v.getVmUuid());
            health.merge(v.getHealth(), 1, Integer::sum);
            if (!v.getTrusted()) {
                unusable++;
            }
            rows.add(new Row(v.getVmUuid(), v.getVmName(), v.getHost(), v.getDemandKiB(), v.getUsageKiB(),
                    v.getSmoothedKiB(), v.getPeakKiB(), v.getSizeKiB(), v.getHealth(), v.getTrusted(),
                    v.getTrusted() ? "HIGH" : "LOW", v.getHint(), engineVm != null && engineVm.movable(),
                    engineVm == null, v.getLastSampleMillis(), v.getLeftHost(), v.getLastMoveMillis()));
        }
        rows.sort(Comparator.comparing(Row::host).thenComparing(Row::name).thenComparing(Row::uuid));
        return new VmsView(data.cluster(), nowMillis, health, unusable, rows);
    }
}
