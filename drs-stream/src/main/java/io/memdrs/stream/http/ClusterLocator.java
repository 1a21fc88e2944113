package io.memdrs.stream.http;

import io.memdrs.stream.topology.Names;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds the instance that owns a cluster: the one whose active task holds the cluster's partition, from the
 * metadata every instance shares through the consumer group ({@code application.server}).
 */
final class ClusterLocator {
    private static final ClusterPartitioner PARTITIONER = new ClusterPartitioner();

    private final KafkaStreams streams;
    private final HostInfo self;

    ClusterLocator(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** The other instance that owns {@code cluster}, or empty when this one does. */
    Optional<HostInfo> remoteOwnerOf(String cluster) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(Names.CLUSTER_STORE, cluster, PARTITIONER);
        } catch (IllegalStateException e) {
            throw ApiException.unavailable("the stream app is not running (" + streams.state() + ")");
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                || KeyQueryMetadata.NOT_AVAILABLE.activeHost().equals(metadata.activeHost())) {
            throw ApiException.unavailable("no instance owns cluster '" + cluster + "' right now (rebalancing); "
                    + "retry shortly");
        }
        return metadata.activeHost().equals(self) ? Optional.empty() : Optional.of(metadata.activeHost());
    }

    HostInfo self() {
        return self;
    }

    static String name(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
