package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.topology.Names;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of 200 clusters × 50 VMs (10,000 VMs on 1,000 hosts) whose collectors send ten times the normal rate for
 * a minute — every second instead of every ten — into one stream app instance: the app keeps running on the same
 * stream thread, its stores hold one entry per VM and host however many samples arrive, the heap after GC stays
 * where it was, and the consumer lag the burst builds up is worked off to zero soon after the burst ends.
 */
@Tag("integration")
class OverloadTest {
    private static final int CLUSTERS = 200;
    private static final int HOSTS_PER_CLUSTER = 5;
    private static final int VMS_PER_HOST = 10;
    private static final Duration BURST = Duration.ofSeconds(60);
    private static final Duration LAG_DEADLINE = Duration.ofSeconds(60);
    private static final long MAX_HEAP_GROWTH_MIB = 128;
    private static final String APP_ID = "overload-test";

    @TempDir
    static Path work;

    @Test
    void shouldStayBoundedAndCatchUpAfterTenTimesTheSampleRateForAMinute() throws Exception {
        long began = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"));
             Admin admin = broker.admin()) {
            TopicPlan.createMissing(admin, 4, (short) 1);
            Map<String, String> config = StreamApps.config(broker.bootstrapServers(), APP_ID, work.resolve("state"),
                    Map.of("drs.round.interval", "10s"));
            List<String> inputs = List.of(Topics.VM_SAMPLES, Topics.HOST_SAMPLES);
            try (StreamApp app = StreamApps.start(config);
                 FleetLoad fleet = new FleetLoad(broker.bootstrapServers(), CLUSTERS, HOSTS_PER_CLUSTER, VMS_PER_HOST)) {
                Set<String> threads = ConcurrentHashMap.newKeySet();
                Set<KafkaStreams.State> states = ConcurrentHashMap.newKeySet();
                Runnable watch = () -> {
                    states.add(app.streams().state());
                    app.streams().metadataForLocalThreads().forEach(t -> threads.add(t.threadName()));
                };

                Await.until("every VM and host in the model at the normal rate", Duration.ofSeconds(60), () -> {
                    watch.run();
                    return entries(app, Names.VM_STORE) == fleet.vms() && entries(app, Names.HOST_STORE) == fleet.hostCount();
                });
                long heapBefore = heapAfterGcMiB();
                long sentBefore = fleet.sent();

                fleet.pollEvery(1);
                long burstBegan = System.nanoTime();
                AtomicLong maxLag = new AtomicLong();
                AtomicLong maxVmEntries = new AtomicLong();
                Await.during(BURST, () -> {
                    watch.run();
                    maxVmEntries.accumulateAndGet(entries(app, Names.VM_STORE), Math::max);
                    maxLag.accumulateAndGet(lag(admin, ends(admin, inputs)), Math::max);
                });
                long burstRecords = fleet.sent() - sentBefore;
                double burstRate = burstRecords / ((System.nanoTime() - burstBegan) / 1e9);

                fleet.pollEvery(10);
                long burstEnded = System.nanoTime();
                Map<TopicPartition, Long> endOfBurst = ConsumerLag.ends(admin, inputs);
                Await.until("the burst's backlog worked off (lag at its end back to 0)", LAG_DEADLINE.plusSeconds(30), () -> {
                    watch.run();
                    return lag(admin, endOfBurst) == 0;
                });
                long catchUpMillis = (System.nanoTime() - burstEnded) / 1_000_000;
                long vmEntries = entries(app, Names.VM_STORE);
                long hostEntries = entries(app, Names.HOST_STORE);
                long clusterEntries = entries(app, Names.CLUSTER_STORE);
                long heapAfter = heapAfterGcMiB();
                int deadLetters = KafkaReads.committed(broker.bootstrapServers(), Topics.DEAD_LETTERS).size();
                watch.run();

                System.out.printf("overload: injected %d records in %d s (%.0f/s, 10 x the normal %.0f/s) from %d "
                        + "VMs on %d hosts in %d clusters%n", burstRecords, BURST.toSeconds(), burstRate,
                        fleet.rate() , fleet.vms(), fleet.hostCount(), CLUSTERS);
                System.out.printf("overload: counted max lag %d, the burst's backlog done %d ms after it; store entries vm %d "
                        + "(max %d during the burst), host %d, cluster %d; heap after GC %d MiB before, %d MiB after; "
                        + "stream threads %s, states %s, %d dead letters; %d s%n", maxLag.get(), catchUpMillis,
                        vmEntries, maxVmEntries.get(), hostEntries, clusterEntries, heapBefore, heapAfter,
                        new TreeSet<>(threads), states, deadLetters, Await.secondsSince(began));

                assertTrue(burstRate >= 0.9 * 10 * fleet.rate(), "the burst was 10 x the rate: " + burstRate);
                assertEquals(fleet.vms(), vmEntries, "one vm-state entry per VM, not per sample");
                assertEquals(fleet.vms(), maxVmEntries.get(), "never more entries than VMs during the burst");
                assertEquals(fleet.hostCount(), hostEntries, "one host-state entry per host");
                assertEquals(CLUSTERS, clusterEntries, "one cluster-state entry per cluster");
                assertTrue(catchUpMillis <= LAG_DEADLINE.toMillis(), "the burst's lag back to 0 within " + LAG_DEADLINE
                        + ": " + catchUpMillis + " ms");
                assertTrue(heapAfter - heapBefore <= MAX_HEAP_GROWTH_MIB, "heap after GC grew by "
                        + (heapAfter - heapBefore) + " MiB");
                assertEquals(Set.of(KafkaStreams.State.RUNNING), states, "the app never left RUNNING");
                assertEquals(1, threads.size(), "the stream thread never died and was replaced: " + threads);
                assertEquals(0, deadLetters, "no sample refused");
            }
        }
    }

    private static long entries(StreamApp app, String store) {
        ReadOnlyKeyValueStore<String, Object> kv = app.streams().store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.keyValueStore()));
        long n = 0;
        try (var all = kv.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    private static long lag(Admin admin, Map<TopicPartition, Long> marks) {
        try {
            return ConsumerLag.behind(admin, APP_ID, marks);
        } catch (Exception e) {
            throw new AssertionError("cannot read the progress of " + APP_ID, e);
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, List<String> topics) {
        try {
            return ConsumerLag.ends(admin, topics);
        } catch (Exception e) {
            throw new AssertionError("cannot read the end offsets of " + topics, e);
        }
    }

    private static long heapAfterGcMiB() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }
}
