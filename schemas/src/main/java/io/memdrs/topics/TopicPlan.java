package io.memdrs.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics memdrs needs and how they are configured: samples and reports kept for a while (they are
 * re-derived continuously), the control topic kept forever (operators' instructions are few, and it is keyed by
 * cluster like every topic: compacting it would keep only each cluster's last instruction, so a stream app that
 * starts from scratch would lose every earlier rule), dead letters kept long enough for someone to look at them.
 */
public final class TopicPlan {
    private TopicPlan() {}

    /** Every memdrs topic with {@code partitions} partitions (clusters spread over them) and {@code replication}. */
    public static List<NewTopic> topics(int partitions, short replication) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.ALL) {
            topics.add(new NewTopic(name, partitions, replication).configs(configFor(name)));
        }
        return topics;
    }

    static Map<String, String> configFor(String topic) {
        return switch (topic) {
            case Topics.CONTROL -> Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1");
            case Topics.DEAD_LETTERS -> Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(TimeUnit.DAYS.toMillis(14)));
            // Migration events teach the engine what moves cost: kept a month, so that a rebuilt stream app learns
            // again from the same history.
            case Topics.MIGRATION_EVENTS -> Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(TimeUnit.DAYS.toMillis(30)));
            case Topics.RECOMMENDATIONS, Topics.BALANCE_REPORTS ->
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(TimeUnit.DAYS.toMillis(7)));
            default -> Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(TimeUnit.DAYS.toMillis(1)));
        };
    }

    /** Creates the topics that do not exist yet; returns the names it created. */
    public static List<String> createMissing(Admin admin, int partitions, short replication)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = topics(partitions, replication).stream()
                .filter(t -> !existing.contains(t.name())).toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            awaitServed(admin, missing, TimeUnit.SECONDS.toNanos(60));
        }
        return missing.stream().map(NewTopic::name).toList();
    }

    /**
     * Waits until the leader of every partition of {@code topics} answers for it (a list-offsets request succeeds):
     * a topic is created before its leaders have taken their partitions up, and producing in between draws
     * not-leader errors and retries (with an idempotent producer on a fresh single broker, even out-of-order
     * sequence failures).
     */
    private static void awaitServed(Admin admin, List<NewTopic> topics, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (NewTopic topic : topics) {
            for (int p = 0; p < topic.numPartitions(); p++) {
                request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            try {
                admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
