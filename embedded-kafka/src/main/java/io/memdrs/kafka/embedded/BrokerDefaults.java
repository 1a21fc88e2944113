package io.memdrs.kafka.embedded;

import java.util.Properties;

/** Broker settings every embedded node shares: internal topics sized for tests, quick group starts, no retention. */
final class BrokerDefaults {
    private BrokerDefaults() {}

    /** Internal topics with {@code replication} replicas and {@code minIsr} in sync; small caches; keep all data. */
    static void apply(Properties p, int replication, int minIsr) {
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", Integer.toString(replication));
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", Integer.toString(replication));
        p.setProperty("transaction.state.log.min.isr", Integer.toString(minIsr));
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
        p.setProperty("share.coordinator.state.topic.min.isr", Integer.toString(minIsr));
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.cleaner.dedupe.buffer.size", "2097152");
        // Demo and test data may carry old timestamps: never let time-based retention eat it.
        p.setProperty("log.retention.ms", "-1");
    }
}
