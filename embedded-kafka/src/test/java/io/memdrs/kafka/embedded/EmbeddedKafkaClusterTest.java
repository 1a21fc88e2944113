package io.memdrs.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class EmbeddedKafkaClusterTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepAcceptingAcksAllWritesWithOneOfThreeNodesGoneAndTakeItBackIntoSync() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir, 3)) {
            TopicPartition p0 = new TopicPartition("replicated", 0);
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("replicated", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            }
            awaitIsr(cluster, p0, 3);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("replicated", "k", "before")).get(30, TimeUnit.SECONDS);
                int leader = cluster.leaderOf(p0).orElseThrow();
                cluster.stopNode(leader);
                assertTrue(!cluster.isRunning(leader));
                producer.send(new ProducerRecord<>("replicated", "k", "during")).get(60, TimeUnit.SECONDS);
                int next = cluster.leaderOf(p0).orElseThrow();
                assertNotEquals(leader, next, "another replica leads");
                assertEquals(2, cluster.inSyncReplicasOf(p0).size(), "the stopped node is out of sync");
                cluster.startNode(leader);
                producer.send(new ProducerRecord<>("replicated", "k", "after")).get(30, TimeUnit.SECONDS);
                awaitIsr(cluster, p0, 3);
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()), new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.assign(List.of(p0));
                consumer.seekToBeginning(List.of(p0));
                List<String> values = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (values.size() < 3 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                }
                assertEquals(List.of("before", "during", "after"), values);
            }
        }
    }

    private static void awaitIsr(EmbeddedKafkaCluster cluster, TopicPartition p, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.inSyncReplicasOf(p).size() < size) {
            assertTrue(System.nanoTime() < deadline, "ISR of " + p + " back to " + size + ": " + cluster.inSyncReplicasOf(p));
            Thread.sleep(200);
        }
    }
}
