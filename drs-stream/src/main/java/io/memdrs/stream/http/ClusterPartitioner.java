package io.memdrs.stream.http;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Finds the partition of a cluster's state. Every input topic is keyed by the cluster id and written with Kafka's
 * default partitioner (murmur2 of the key's UTF-8 bytes), so a store key {@code cluster + '\u0000' + id} lives in
 * the partition of its cluster prefix. Used with {@code KafkaStreams.queryMetadataForKey} to find the instance that
 * owns a cluster.
 */
public final class ClusterPartitioner implements StreamPartitioner<String, Object> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, Object value, Headers headers, int numPartitions) {
        return Optional.of(Set.of(partitionOf(clusterOf(key), numPartitions)));
    }

    /** The same without headers, for callers of the older signature (deprecated in Kafka Streams). */
    @Override
    @SuppressWarnings("removal")
    public Optional<Set<Integer>> partitions(String topic, String key, Object value, int numPartitions) {
        return partitions(topic, key, value, null, numPartitions);
    }

    /** The cluster id a store key (or a bare cluster id) belongs to. */
    public static String clusterOf(String key) {
        int separator = key.indexOf('\u0000');
        return separator < 0 ? key : key.substring(0, separator);
    }

    /** The partition the default producer partitioner picks for records keyed by {@code cluster}. */
    public static int partitionOf(String cluster, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(cluster.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
