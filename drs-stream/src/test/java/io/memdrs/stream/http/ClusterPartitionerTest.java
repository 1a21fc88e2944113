package io.memdrs.stream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ClusterPartitionerTest {
    private final ClusterPartitioner partitioner = new ClusterPartitioner();

    @Test
    void shouldPickThePartitionTheProducerPicksForRecordsKeyedByTheCluster() {
        for (int n = 1; n <= 16; n++) {
            for (int i = 0; i < 200; i++) {
                String cluster = "cluster-" + i + (i % 7 == 0 ? "-zoné" : "");
                int expected = BuiltInPartitioner.partitionForKey(cluster.getBytes(StandardCharsets.UTF_8), n);
                assertEquals(expected, ClusterPartitioner.partitionOf(cluster, n), cluster + " over " + n);
                assertEquals(Optional.of(Set.of(expected)), partitioner.partitions("t", cluster, null, null, n));
            }
        }
    }

    @Test
    void shouldPartitionStoreKeysByTheirClusterPrefix() {
        String storeKey = "eu-west\u0000vm-1234";
        assertEquals("eu-west", ClusterPartitioner.clusterOf(storeKey));
        assertEquals(partitioner.partitions("t", "eu-west", null, null, 12), partitioner.partitions("t", storeKey, null, null, 12));
    }
}
