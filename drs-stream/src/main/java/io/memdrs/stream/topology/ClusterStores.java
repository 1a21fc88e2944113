package io.memdrs.stream.topology;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import io.memdrs.stream.taskstate.TaskStateStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The state stores of the cluster model: VM, host and cluster state as objects in memory per task
 * ({@link TaskStateStore}), control events, recent recommendations and finished migrations as plain key-value stores.
 */
final class ClusterStores {
    /** Finished migrations kept per cluster: enough for {@code MigrationLog}'s calibration of every host pair in use. */
    static final int MIGRATIONS_KEPT = 500;

    final TaskStateStore<VmState> vms;
    final TaskStateStore<HostState> hosts;
    final TaskStateStore<ClusterState> clusters;
    final KeyValueStore<String, ControlEvent> controls;
    final KeyValueStore<String, MigrationRecommendation> recommendations;
    final KeyValueStore<String, MigrationEvent> migrations;

    ClusterStores(ProcessorContext<?, ?> context) {
        this.vms = TaskStateStore.of(context, Names.VM_STORE);
        this.hosts = TaskStateStore.of(context, Names.HOST_STORE);
        this.clusters = TaskStateStore.of(context, Names.CLUSTER_STORE);
        this.controls = context.getStateStore(Names.CONTROL_STORE);
        this.recommendations = context.getStateStore(Names.RECOMMENDATION_STORE);
        this.migrations = context.getStateStore(Names.MIGRATION_STORE);
    }

    /**
     * Drops the in-memory objects of the task state, so that they are loaded from the (restored) stores at first
     * use: called when the processor of a task starts, also for a task that was a standby or closed dirty before.
     */
    void reset() {
        vms.reset();
        hosts.reset();
        clusters.reset();
    }

    List<VmState> vmsOf(String cluster) {
        return vms.inCluster(cluster);
    }

    List<HostState> hostsOf(String cluster) {
        return hosts.inCluster(cluster);
    }

    List<ControlEvent> controlsOf(String cluster) {
        return range(controls, cluster);
    }

    List<MigrationRecommendation> recommendationsOf(String cluster) {
        return range(recommendations, cluster);
    }

    /** The cluster's finished migrations, oldest first. */
    List<MigrationEvent> migrationsOf(String cluster) {
        return range(migrations, cluster);
    }

    /**
     * Keeps a finished migration (keyed by finish time, so a range scan is oldest first; the same event again
     * replaces itself) and drops the oldest beyond {@link #MIGRATIONS_KEPT} of the cluster.
     */
    void addFinishedMigration(MigrationEvent event) {
        String cluster = event.getCluster();
        migrations.put(Names.key(cluster, String.format("%013d", Math.max(0, event.getAtMillis())) + '/'
                + event.getRecommendationId() + '/' + event.getStatus()), event);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, MigrationEvent> it = migrations.range(Names.clusterFrom(cluster),
                Names.clusterTo(cluster))) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        for (int i = 0; i < keys.size() - MIGRATIONS_KEPT; i++) {
            migrations.delete(keys.get(i));
        }
    }

    List<String> clusterIds() {
        return clusters.clusters();
    }

    private static <V> List<V> range(KeyValueStore<String, V> store, String cluster) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(Names.clusterFrom(cluster), Names.clusterTo(cluster))) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                values.add(kv.value);
            }
        }
        return values;
    }
}
