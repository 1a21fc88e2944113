package io.memdrs.stream.http;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import io.memdrs.stream.topology.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries of this instance's state stores (active tasks only). A store that cannot be queried right now
 * (the app is starting, rebalancing or restoring) becomes a 503 the client may retry.
 */
final class LocalStores {
    private final KafkaStreams streams;

    LocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The clusters whose state this instance holds. */
    List<ClusterState> clusters() {
        List<ClusterState> clusters = new ArrayList<>();
        try (KeyValueIterator<String, ClusterState> it = store(Names.CLUSTER_STORE, ClusterState.class).all()) {
            it.forEachRemaining(kv -> clusters.add(kv.value));
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
        return clusters;
    }

    /** Everything this instance holds for {@code cluster}; empty when it holds nothing (unknown or not ours). */
    Optional<ClusterData> cluster(String cluster) {
        try {
            ClusterState state = store(Names.CLUSTER_STORE, ClusterState.class).get(cluster);
            if (state == null) {
                return Optional.empty();
            }
            return Optional.of(new ClusterData(cluster, state,
                    range(Names.HOST_STORE, HostState.class, cluster),
                    range(Names.VM_STORE, VmState.class, cluster),
                    range(Names.CONTROL_STORE, ControlEvent.class, cluster),
                    range(Names.RECOMMENDATION_STORE, MigrationRecommendation.class, cluster),
                    range(Names.MIGRATION_STORE, MigrationEvent.class, cluster)));
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    private <V> List<V> range(String storeName, Class<V> type, String cluster) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store(storeName, type).range(Names.clusterFrom(cluster),
                Names.clusterTo(cluster))) {
            it.forEachRemaining(kv -> values.add(kv.value));
        }
        return values;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, Class<V> type) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    private static ApiException unavailable(InvalidStateStoreException e) {
        return ApiException.unavailable("state stores are not queryable right now (" + e.getClass().getSimpleName()
                + "); retry shortly");
    }
}
