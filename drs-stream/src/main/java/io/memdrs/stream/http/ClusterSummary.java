package io.memdrs.stream.http;

import io.memdrs.stream.config.DrsSettings;

/**
 * One cluster in {@code GET /clusters}.
 *
 * @param cluster cluster id
 * @param instance host:port of the stream-app instance that owns it (its HTTP API)
 * @param round number of the last decision round (0: none yet)
 * @param lastRoundMillis when it ran, epoch millis
 * @param hosts hosts known to the model
 * @param activeHosts hosts reporting and not in maintenance
 * @param vms VMs in the model
 * @param unusableVms VMs whose statistics cannot be used
 * @param liveRecommendations recommendations not yet expired
 * @param imbalance σ of the loads of the active hosts now
 */
record ClusterSummary(String cluster, String instance, long round, long lastRoundMillis, int hosts, int activeHosts,
                      int vms, int unusableVms, int liveRecommendations, double imbalance) {

    static ClusterSummary of(ClusterData data, DrsSettings settings, long nowMillis, String instance) {
        return of(data, HostsView.of(data, settings, nowMillis), nowMillis, instance);
    }

    /** With the cluster's host view already computed (the metrics endpoint exports both). */
    static ClusterSummary of(ClusterData data, HostsView hosts, long nowMillis, String instance) {
        int active = (int) hosts.hosts().stream().filter(h -> h.state().equals("ACTIVE")).count();
        int unusable = (int) data.vms().stream().filter(v -> !v.getTrusted()).count();
        int live = (int) data.recommendations().stream().filter(r -> r.getExpiresAtMillis() > nowMillis).count();
        return new ClusterSummary(data.cluster(), instance, data.state().getRound(), data.state().getLastRoundMillis(),
                data.hosts().size(), active, data.vms().size(), unusable, live, hosts.imbalance());
    }
}
