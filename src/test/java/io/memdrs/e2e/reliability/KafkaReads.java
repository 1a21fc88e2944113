package io.memdrs.e2e.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What topics hold right now, as raw records with their headers: every partition from its start to the end of the
 * moment. Committed reads stop at the last stable offset, so they see exactly what exactly-once consumers see;
 * uncommitted reads also show records of open and aborted transactions.
 */
final class KafkaReads {
    private KafkaReads() {}

    static List<ConsumerRecord<String, byte[]>> committed(String bootstrap, String... topics) {
        return read(bootstrap, Map.of(), "read_committed", topics);
    }

    static List<ConsumerRecord<String, byte[]>> read(String bootstrap, Map<String, Object> client, String isolation,
                                                     String... topics) {
        Duration timeout = Duration.ofSeconds(60);
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, client, isolation)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + List.of(topics) + " to " + end + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /** A consumer without a group (assign only): it commits nothing and joins nothing. */
    static KafkaConsumer<String, byte[]> consumer(String bootstrap, Map<String, Object> client, String isolation) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
