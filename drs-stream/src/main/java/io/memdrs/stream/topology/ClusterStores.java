package io.memdrs.stream.topology;

import io.memdrs.avro.ControlEvent;
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
 * ({@link TaskStateStore}), control events and recent recommendations as plain key-value stores.
 */
final class ClusterStores {
    final TaskStateStore<VmState> vms;
    final TaskStateStore<HostState> hosts;
    final TaskStateStore<ClusterState> clusters;
    final KeyValueStore<String, ControlEvent> controls;
    final KeyValueStore<String, MigrationRecommendation> recommendations;

    ClusterStores(ProcessorContext<?, ?> context) {
        this.vms = TaskStateStore.of(context, Names.VM_STORE);
        this.hosts = TaskStateStore.of(context, Names.HOST_STORE);
        this.clusters = TaskStateStore.of(context, Names.CLUSTER_STORE);
        this.controls = context.getStateStore(Names.CONTROL_STORE);
        this.recommendations = context.getStateStore(Names.RECOMMENDATION_STORE);
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
