package io.memdrs.e2e.reliability;

import io.memdrs.avro.BalanceReport;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Watches {@code memdrs.balance-reports} without waiting for commits (read_uncommitted): it sees a round's report as
 * soon as the app has sent it, inside its still-open transaction. Armed with a process, it kills that process the
 * moment it sees the next report: the kill then falls between a round's output and the commit of that output.
 */
final class ReportWatcher implements AutoCloseable {
    /** A report as seen, uncommitted. */
    record Seen(String cluster, long round, long createdAtMillis) {}

    /** What a kill interrupted: the round whose report had just been sent, and when the process died. */
    record Kill(JvmProcess process, Seen lastReport, long killedAtMillis) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Kill> kills = new CopyOnWriteArrayList<>();
    private final AtomicReference<JvmProcess> armed = new AtomicReference<>();
    private final AvroSerde<BalanceReport> serde = AvroSerde.of(BalanceReport.class);
    private volatile boolean running = true;

    ReportWatcher(String bootstrap) {
        consumer = KafkaReads.consumer(bootstrap, Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20),
                "read_uncommitted");
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(Topics.BALANCE_REPORTS).forEach(p -> partitions.add(
                new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::watch, "report-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(50)).forEach(r -> {
                    BalanceReport report = serde.decode(r.value());
                    Seen s = new Seen(report.getCluster(), report.getRound(), report.getCreatedAtMillis());
                    seen.add(s);
                    JvmProcess target = armed.getAndSet(null);
                    if (target != null) {
                        target.kill();
                        kills.add(new Kill(target, s, System.currentTimeMillis()));
                    }
                });
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Kills {@code process} right after the next report it sends. */
    void killOnNextReport(JvmProcess process) {
        armed.set(process);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<Kill> kills() {
        return List.copyOf(kills);
    }

    /** Reports of {@code cluster} created after {@code afterMillis}. */
    long reportsAfter(String cluster, long afterMillis) {
        return seen.stream().filter(s -> s.cluster().equals(cluster) && s.createdAtMillis() > afterMillis).count();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
