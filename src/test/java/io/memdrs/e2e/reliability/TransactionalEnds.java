package io.memdrs.e2e.reliability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The ends of a topic's partitions as the broker gives them at one moment: how far records are written (the high
 * watermark) and how far they are stable (the last stable offset, which an open transaction holds back at its first
 * record).
 */
record TransactionalEnds(Map<TopicPartition, Long> written, Map<TopicPartition, Long> stable) {

    static TransactionalEnds of(Admin admin, String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        // Written first: a transaction that commits between the two reads then shows as stable, not as open.
        Map<TopicPartition, Long> written = ends(admin, latest, IsolationLevel.READ_UNCOMMITTED);
        return new TransactionalEnds(written, ends(admin, latest, IsolationLevel.READ_COMMITTED));
    }

    /**
     * True when a partition holds records of a transaction that is still open and began after {@code earlier}: its
     * stable end moved on since then (so nothing older holds it back) and records are written past it.
     */
    boolean openTransactionSince(TransactionalEnds earlier) {
        return written.entrySet().stream().anyMatch(e -> {
            long stableNow = stable.getOrDefault(e.getKey(), e.getValue());
            return e.getValue() > stableNow && stableNow > earlier.stable.getOrDefault(e.getKey(), Long.MAX_VALUE);
        });
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Map<TopicPartition, OffsetSpec> latest,
                                                  IsolationLevel isolation) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get()
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
