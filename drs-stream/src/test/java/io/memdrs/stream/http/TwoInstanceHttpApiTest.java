package io.memdrs.stream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.topology.Names;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the app (same application id, own state directories and ports) share eight clusters over four
 * partitions; asking either instance about any cluster gives the same answer, because the one that does not own
 * the cluster forwards the request to the one that does.
 */
@Tag("integration")
class TwoInstanceHttpApiTest {
    static final int PARTITIONS = 4;

    @TempDir
    Path work;

    @Test
    void shouldGiveTheSameAnswerForEveryClusterFromEitherInstance() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, PARTITIONS, (short) 1);
            }
            List<String> clusters = clustersCoveringEveryPartition(2);
            long now = System.currentTimeMillis();
            try (Samples samples = new Samples(broker.bootstrapServers())) {
                for (String c : clusters) {
                    samples.host(c, c + "-h1", 64, 4, now);
                    samples.host(c, c + "-h2", 64, 4, now);
                    samples.vm(c, c + "-h1", c + "-vm1", 6, now);
                    samples.vm(c, c + "-h1", c + "-vm2", 4, now);
                    int partition = samples.send(Topics.VM_SAMPLES, c, io.memdrs.schemas.AvroSerde
                            .of(io.memdrs.avro.VmMemorySample.class).encode(vmOnH2(c, now)));
                    assertEquals(ClusterPartitioner.partitionOf(c, PARTITIONS), partition,
                            "the producer puts " + c + " where the partitioner says");
                }
            }
            // Rounds far apart: the state only changes with samples, so both answers can be compared exactly.
            int portA = TestApps.freePort();
            int portB = TestApps.freePort();
            try (StreamApp a = TestApps.app(broker.bootstrapServers(), "two-instances", work.resolve("state-a"), portA,
                    TestApps.rounds("10m"));
                 StreamApp b = TestApps.app(broker.bootstrapServers(), "two-instances", work.resolve("state-b"), portB,
                         TestApps.rounds("10m"))) {
                a.start();
                b.start();
                awaitBothOwnPartitions(a, b, Duration.ofSeconds(90));
                ApiClient apiA = new ApiClient(portA);
                ApiClient apiB = new ApiClient(portB);
                for (ApiClient api : List.of(apiA, apiB)) {
                    api.awaitJson("/clusters", body -> complete(body, clusters), Duration.ofSeconds(60));
                }

                Set<String> owners = new HashSet<>();
                for (String c : clusters) {
                    for (String view : List.of("", "/hosts", "/vms", "/snapshot", "/recommendations", "/history")) {
                        String path = "/clusters/" + c + view;
                        JsonNode fromA = withoutClock(apiA.json(path));
                        JsonNode fromB = withoutClock(apiB.json(path));
                        assertEquals(fromA, fromB, path);
                    }
                    JsonNode summary = apiA.json("/clusters/" + c);
                    assertEquals(3, summary.get("vms").asInt(), summary.toString());
                    owners.add(summary.get("instance").asText());
                }
                assertEquals(Set.of("127.0.0.1:" + portA, "127.0.0.1:" + portB), owners,
                        "each instance owns some clusters, so half the answers were forwarded");
                assertEquals(withoutClock(apiA.json("/clusters")).get("clusters"),
                        withoutClock(apiB.json("/clusters")).get("clusters"));
                assertEquals(404, apiB.get("/clusters/no-such-cluster/hosts").statusCode());
            }
        }
    }

    /** Cluster ids such that every partition holds {@code perPartition} of them. */
    static List<String> clustersCoveringEveryPartition(int perPartition) {
        int[] count = new int[PARTITIONS];
        List<String> ids = new ArrayList<>();
        for (int i = 0; ids.size() < PARTITIONS * perPartition; i++) {
            String id = "dc-" + i;
            int p = ClusterPartitioner.partitionOf(id, PARTITIONS);
            if (count[p] < perPartition) {
                count[p]++;
                ids.add(id);
            }
        }
        return ids;
    }

    private static io.memdrs.avro.VmMemorySample vmOnH2(String cluster, long now) {
        long usage = 3 * Samples.GIB;
        return io.memdrs.avro.VmMemorySample.newBuilder().setCluster(cluster).setHost(cluster + "-h2")
                .setVmUuid(cluster + "-vm3").setVmName("vm3").setSampleTimeMillis(now)
                .setDomainState(io.memdrs.avro.DomainState.RUNNING).setAvailableKiB(8 * Samples.GIB)
                .setUsableKiB(8 * Samples.GIB - usage).setActualKiB(8 * Samples.GIB).setLastUpdateEpochSeconds(now / 1000)
                .setStatsPeriodSeconds(10).setMaxMemoryKiB(8 * Samples.GIB).setCurrentMemoryKiB(8 * Samples.GIB)
                .setUsageKiB(usage).setUsageSource(io.memdrs.avro.UsageSource.USABLE)
                .setHealth(io.memdrs.avro.StatsHealth.OK).setHint("").build();
    }

    private static boolean complete(JsonNode body, List<String> clusters) {
        if (!body.get("complete").asBoolean()) {
            return false;
        }
        Set<String> seen = new TreeSet<>();
        body.get("clusters").forEach(c -> {
            if (c.get("vms").asInt() == 3) {
                seen.add(c.get("cluster").asText());
            }
        });
        return seen.equals(new TreeSet<>(clusters));
    }

    private static void awaitBothOwnPartitions(StreamApp a, StreamApp b, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (running(a) && running(b)) {
                try {
                    long owning = a.streams().streamsMetadataForStore(Names.CLUSTER_STORE).stream()
                            .filter(m -> !m.topicPartitions().isEmpty()).map(StreamsMetadata::hostInfo).distinct().count();
                    if (owning == 2) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // metadata not ready yet
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the two instances did not share the partitions within " + timeout + ": "
                + a.streams().state() + ", " + b.streams().state());
    }

    private static boolean running(StreamApp app) {
        return app.streams().state() == KafkaStreams.State.RUNNING;
    }

    /** The answer without the time it was computed at (the two calls are not at the same millisecond). */
    private static JsonNode withoutClock(JsonNode body) {
        JsonNode copy = body.deepCopy();
        if (copy instanceof ObjectNode object) {
            object.remove("computedAtMillis");
            object.remove("instances");
        }
        return copy;
    }
}
