package io.memdrs.e2e.reliability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A consumer group's progress through some topics, from the broker's own numbers. */
final class ConsumerLag {
    private ConsumerLag() {}

    /** The end offset of every partition of {@code topics} now. */
    static Map<TopicPartition, Long> ends(Admin admin, List<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()),
                        OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** Records before {@code marks} that {@code group} has not committed yet: 0 once it is past all of them. */
    static long behind(Admin admin, String group, Map<TopicPartition, Long> marks)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long behind = 0;
        for (var mark : marks.entrySet()) {
            OffsetAndMetadata done = committed.get(mark.getKey());
            behind += Math.max(0, mark.getValue() - (done == null ? 0 : done.offset()));
        }
        return behind;
    }
}
