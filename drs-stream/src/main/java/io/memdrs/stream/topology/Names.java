package io.memdrs.stream.topology;

/**
 * Names of every node and store of the topology. They are part of the deployment: a store's name is its changelog
 * topic's name, so renaming one loses state. Tests reuse them.
 */
public final class Names {
    public static final String SAMPLES_SOURCE = "samples-source";
    public static final String CLUSTER_MODEL = "cluster-model";
    public static final String HOST_LOAD_SINK = "host-load-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** VM uuid in its cluster → its latest sample. */
    public static final String VM_STORE = "vm-latest";
    /** Host in its cluster → its load aggregate (capacity, Σ demand, VM counts). */
    public static final String HOST_STORE = "host-load";

    private Names() {}

    /** Store key of an entity within a cluster. The separator cannot occur in a cluster id. */
    public static String key(String cluster, String id) {
        return cluster + '\u0000' + id;
    }

    /** Range-scan bounds of every key of {@code cluster}. */
    public static String clusterFrom(String cluster) {
        return cluster + '\u0000';
    }

    public static String clusterTo(String cluster) {
        return cluster + '\u0001';
    }
}
