package io.memdrs.stream.topology;

import io.memdrs.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream app's topology, every node and store named ({@link Names}): samples from the collectors feed the
 * per-cluster model, which emits host loads; unreadable records go to the dead letters.
 *
 * <pre>
 *  memdrs.vm-samples ──┐
 *                      ├─ samples-source ─ cluster-model ─┬─ host-load-sink   ─▶ memdrs.host-load
 *  memdrs.host-samples ┘                  [vm-latest,     └─ dead-letter-sink ─▶ memdrs.dead-letters
 *                                          host-load]
 * </pre>
 */
public final class DrsTopology {
    private DrsTopology() {}

    /** Builds the topology; pure: no I/O, no Kafka connection. */
    public static Topology build(StreamSerdes serdes) {
        Topology topology = new Topology();
        topology.addSource(Names.SAMPLES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.VM_SAMPLES, Topics.HOST_SAMPLES);
        topology.addProcessor(Names.CLUSTER_MODEL, () -> new ClusterModelProcessor(serdes), Names.SAMPLES_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.VM_STORE),
                Serdes.String(), serdes.vmSample()), Names.CLUSTER_MODEL);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.HOST_STORE),
                Serdes.String(), serdes.hostLoad()), Names.CLUSTER_MODEL);
        topology.addSink(Names.HOST_LOAD_SINK, Topics.HOST_LOAD, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), Names.CLUSTER_MODEL);
        topology.addSink(Names.DEAD_LETTER_SINK, Topics.DEAD_LETTERS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), Names.CLUSTER_MODEL);
        return topology;
    }
}
