package io.memdrs.stream.topology;

/**
 * Names of every node and store of the topology. They are part of the deployment: a store's name is its changelog
 * topic's name, so renaming one loses state. Tests reuse them.
 */
public final class Names {
    public static final String SAMPLES_SOURCE = "samples-source";
    public static final String CONTROL_SOURCE = "control-source";
    public static final String MIGRATION_EVENTS_SOURCE = "migration-events-source";
    public static final String CLUSTER_MODEL = "cluster-model";
    public static final String HOST_LOAD_SINK = "host-load-sink";
    public static final String RECOMMENDATION_SINK = "recommendation-sink";
    public static final String BALANCE_REPORT_SINK = "balance-report-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** (cluster, VM uuid) → the model's state of the VM. */
    public static final String VM_STORE = "vm-state";
    /** (cluster, host) → capacity, freshness and the running sums of its VMs. */
    public static final String HOST_STORE = "host-state";
    /** cluster → round counter, trigger history, recent imbalance. */
    public static final String CLUSTER_STORE = "cluster-state";
    /** (cluster, recommendation id) → recommendations not yet expired, for the HTTP API. */
    public static final String RECOMMENDATION_STORE = "recent-recommendations";
    /** (cluster, finish time, recommendation id) → the cluster's latest finished migrations (SUCCEEDED, FAILED). */
    public static final String MIGRATION_STORE = "migration-log";
    /** (cluster, rule id) → the operator's latest control event. */
    public static final String CONTROL_STORE = "control-events";

    private Names() {}

    /** Store key of an entity within a cluster. The separator cannot occur in a cluster id. */
    public static String key(String cluster, String id) {
        return cluster + '\u0000' + id;
    }

    /** Range-scan bounds of every key of {@code cluster} (from inclusive, to inclusive). */
    public static String clusterFrom(String cluster) {
        return cluster + '\u0000';
    }

    public static String clusterTo(String cluster) {
        return cluster + '\u0001';
    }
}
