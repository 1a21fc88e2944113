package io.memdrs.stream.topology;

import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.taskstate.TaskStateStoreBuilder;
import io.memdrs.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream app's topology, every node and store named ({@link Names}). Samples, control and migration events of a cluster
 * arrive on one partition (all topics are keyed by cluster), so one task owns a whole cluster: the cluster model
 * updates its stores in O(1) per sample and runs a decision round per cluster on a wall-clock schedule, or at once
 * when a host stays overloaded.
 *
 * <pre>
 *  memdrs.vm-samples ──┐                                   ┌─ host-load-sink      ─▶ memdrs.host-load
 *  memdrs.host-samples ┴─ samples-source ─┐                ├─ recommendation-sink ─▶ memdrs.recommendations
 *                                          ├─ cluster-model ┼─ balance-report-sink ─▶ memdrs.balance-reports
 *  memdrs.control ──────── control-source ─┤  [vm-state,     └─ dead-letter-sink    ─▶ memdrs.dead-letters
 *  memdrs.migration-events ─ migration-  ──┘   host-state, cluster-state, control-events,
 *                            events-source     recent-recommendations, migration-log]
 * </pre>
 */
public final class DrsTopology {
    private DrsTopology() {}

    /** Builds the topology; pure: no I/O, no Kafka connection. */
    public static Topology build(DrsSettings settings, StreamSerdes serdes) {
        Topology topology = new Topology();
        topology.addSource(Names.SAMPLES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.VM_SAMPLES, Topics.HOST_SAMPLES);
        topology.addSource(Names.CONTROL_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.CONTROL);
        topology.addSource(Names.MIGRATION_EVENTS_SOURCE, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.MIGRATION_EVENTS);
        topology.addProcessor(Names.CLUSTER_MODEL, () -> new ClusterModelProcessor(settings, serdes),
                Names.SAMPLES_SOURCE, Names.CONTROL_SOURCE, Names.MIGRATION_EVENTS_SOURCE);
        // The model's state: objects in memory per task, written to the changelogged stores once per commit.
        topology.addStateStore(new TaskStateStoreBuilder<>(Names.VM_STORE, serdes.vmState()), Names.CLUSTER_MODEL);
        topology.addStateStore(new TaskStateStoreBuilder<>(Names.HOST_STORE, serdes.hostState()), Names.CLUSTER_MODEL);
        topology.addStateStore(new TaskStateStoreBuilder<>(Names.CLUSTER_STORE, serdes.clusterState()),
                Names.CLUSTER_MODEL);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.RECOMMENDATION_STORE),
                Serdes.String(), serdes.recommendation()), Names.CLUSTER_MODEL);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.CONTROL_STORE),
                Serdes.String(), serdes.control()), Names.CLUSTER_MODEL);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.MIGRATION_STORE),
                Serdes.String(), serdes.migrationEvent()), Names.CLUSTER_MODEL);
        for (String[] sink : new String[][] {{Names.HOST_LOAD_SINK, Topics.HOST_LOAD},
                {Names.RECOMMENDATION_SINK, Topics.RECOMMENDATIONS}, {Names.BALANCE_REPORT_SINK, Topics.BALANCE_REPORTS},
                {Names.DEAD_LETTER_SINK, Topics.DEAD_LETTERS}}) {
            topology.addSink(sink[0], sink[1], Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                    Names.CLUSTER_MODEL);
        }
        return topology;
    }
}
