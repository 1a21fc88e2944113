package io.memdrs.stream.topology;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The four state stores of the cluster model, with the per-cluster range reads a round needs. */
final class ClusterStores {
    final KeyValueStore<String, VmState> vms;
    final KeyValueStore<String, HostState> hosts;
    final KeyValueStore<String, ClusterState> clusters;
    final KeyValueStore<String, ControlEvent> controls;
    final KeyValueStore<String, MigrationRecommendation> recommendations;

    ClusterStores(ProcessorContext<?, ?> context) {
        this.vms = context.getStateStore(Names.VM_STORE);
        this.hosts = context.getStateStore(Names.HOST_STORE);
        this.clusters = context.getStateStore(Names.CLUSTER_STORE);
        this.controls = context.getStateStore(Names.CONTROL_STORE);
        this.recommendations = context.getStateStore(Names.RECOMMENDATION_STORE);
    }

    List<VmState> vmsOf(String cluster) {
        return range(vms, cluster);
    }

    List<HostState> hostsOf(String cluster) {
        return range(hosts, cluster);
    }

    List<ControlEvent> controlsOf(String cluster) {
        return range(controls, cluster);
    }

    List<MigrationRecommendation> recommendationsOf(String cluster) {
        return range(recommendations, cluster);
    }

    List<String> clusterIds() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, ClusterState> it = clusters.all()) {
            it.forEachRemaining(kv -> ids.add(kv.key));
        }
        return ids;
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
