package io.memdrs.stream.http;

import io.memdrs.engine.Host;
import io.memdrs.engine.HostState;
import io.memdrs.stream.config.DrsSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /clusters/{id}/hosts}: every host's load (Σ demand of its VMs / (memory − reserved), a fraction), its
 * state and VM counts, the cluster imbalance over the active hosts, and the thresholds a dashboard draws.
 *
 * @param cluster cluster id
 * @param computedAtMillis when this view was computed, epoch millis
 * @param highWatermark drs.high-watermark: no move may push a host above this load
 * @param overloadThreshold drs.overload.threshold: above it for drs.hold, a host triggers a round at once
 * @param targetImbalance the migration level's target σ; null for level 1 (mandatory moves only)
 * @param imbalance population standard deviation of the loads of ACTIVE hosts
 * @param hosts the hosts, by name
 */
record HostsView(String cluster, long computedAtMillis, double highWatermark, double overloadThreshold,
                 Double targetImbalance, double imbalance, List<Row> hosts) {

    /**
     * One host.
     *
     * @param host host name
     * @param state ACTIVE, UNKNOWN (not heard from within the stale periods: never a target) or MAINTENANCE
     * @param memoryKiB physical memory, KiB
     * @param reservedKiB memory kept for the host, KiB
     * @param capacityKiB memory VMs may use, KiB
     * @param demandKiB Σ demand of its VMs, KiB
     * @param load demand / capacity, a fraction (0 when the capacity is not known)
     * @param vmCount VMs on the host
     * @param vmsWithTrustedStats VMs whose demand comes from usable balloon statistics
     * @param vmsWithUntrustedStats VMs counted at a conservative bound
     * @param lastSampleMillis last host sample, epoch millis (0: never)
     * @param aboveHighWatermark whether the load is above the high watermark
     */
    record Row(String host, String state, long memoryKiB, long reservedKiB, long capacityKiB, long demandKiB,
               double load, int vmCount, int vmsWithTrustedStats, int vmsWithUntrustedStats, long lastSampleMillis,
               boolean aboveHighWatermark) {}

    static HostsView of(ClusterData data, DrsSettings settings, long nowMillis) {
        Map<String, Host> engineHosts = ModelSnapshot.hostsByName(ModelSnapshot.of(data, settings, nowMillis).snapshot());
        double watermark = settings.policy().highWatermark();
        List<Row> rows = new ArrayList<>();
        double sum = 0;
        double sumSq = 0;
        int active = 0;
        for (io.memdrs.stream.state.HostState h : data.hosts()) {
            Host engineHost = engineHosts.get(h.getHost());
            String state = engineHost == null || engineHost.state() == HostState.UNKNOWN ? "UNKNOWN"
                    : engineHost.maintenance() ? "MAINTENANCE" : "ACTIVE";
            long capacity = Math.max(0, h.getMemoryKiB() - h.getReservedKiB());
            double load = capacity > 0 ? (double) h.getDemandKiB() / capacity : 0.0;
            if (state.equals("ACTIVE") && capacity > 0) {
                sum += load;
                sumSq += load * load;
                active++;
            }
            rows.add(new Row(h.getHost(), state, h.getMemoryKiB(), h.getReservedKiB(), capacity, h.getDemandKiB(),
                    load, h.getVmCount(), h.getTrustedVms(), Math.max(0, h.getVmCount() - h.getTrustedVms()),
                    h.getLastSampleMillis(), load > watermark));
        }
        rows.sort(Comparator.comparing(Row::host));
        double mean = active == 0 ? 0 : sum / active;
        double imbalance = active == 0 ? 0 : Math.sqrt(Math.max(0, sumSq / active - mean * mean));
        return new HostsView(data.cluster(), nowMillis, watermark, settings.overloadThreshold(),
                Json.finite(settings.policy().targetImbalance()), imbalance, rows);
    }
}
