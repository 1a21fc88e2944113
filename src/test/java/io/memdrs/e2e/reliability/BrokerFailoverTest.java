package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import io.memdrs.demo.FleetGenerator;
import io.memdrs.e2e.reliability.SampleLedger.Discrepancy;
import io.memdrs.kafka.embedded.EmbeddedKafkaCluster;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.topology.Names;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers (KRaft, every topic replicated three times, {@code min.insync.replicas} 2, producers with
 * {@code acks=all}); a collector polling a dozen domains every second, two skewed clusters that keep the engine
 * recommending, and the stream app (exactly-once v2, its internal topics replicated three times). The broker leading
 * the collector's sample partition is taken away for 10 s and brought back; then the one leading the matching
 * partition of the stream app's vm-state changelog. Counted: every sample the collector produced is in the sample
 * topics once and was taken into the model exactly once, every cluster's rounds are committed 1, 2, 3, ... with no
 * gap or repeat and go on after each loss, no recommendation id is committed twice, and the app's lag returns to 0.
 */
@Tag("integration")
class BrokerFailoverTest {
    private static final Duration LOSS = Duration.ofSeconds(10);
    private static final int VMS = 12;
    private static final int PARTITIONS = 2;
    private static final String CLUSTER = "failover";
    private static final List<String> SKEWED = List.of("skew-a", "skew-b");

    @TempDir
    static Path work;

    @Test
    void shouldLoseNothingAndRepeatNothingWhenTheLeadersOfASamplePartitionAndAChangelogPartitionGo() throws Exception {
        long began = System.nanoTime();
        Path node = work.resolve("node.xml");
        Files.writeString(node, FleetGenerator.nodeXml(FleetGenerator.generate(1, VMS, 3).get(0)));
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(work.resolve("kafka"), 3)) {
            try (Admin admin = kafka.admin()) {
                TopicPlan.createMissing(admin, PARTITIONS, (short) 3);
            }
            String appId = "failover-test";
            Map<String, String> appConfig = StreamApps.config(kafka.bootstrapServers(), appId, work.resolve("state"),
                    Map.ofEntries(Map.entry("drs.round.interval", "1s"), Map.entry("drs.hold", "0s"),
                            Map.entry("drs.recommendation.lifetime", "2s"), Map.entry("drs.cooldown", "0s"),
                            Map.entry("drs.no-return-window", "0s"),
                            // No VM is dropped while its samples wait out a leader election: the intake is counted per VM.
                            Map.entry("drs.stale.periods", "1000"),
                            Map.entry("streams.replication.factor", "3"),
                            Map.entry("streams.producer.acks", "all")));
            CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of(
                    "collector.cluster", CLUSTER, "collector.host", "node-1",
                    "collector.libvirt.uri", "test://" + node.toAbsolutePath(),
                    "collector.poll.interval", "1s", "collector.metrics.port", "0",
                    "kafka.bootstrap.servers", kafka.bootstrapServers(), "kafka.acks", "all")));
            CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry(), "test");
            Set<String> produced = ConcurrentHashMap.newKeySet();
            Set<String> collectorVms = ConcurrentHashMap.newKeySet();
            AtomicInteger polls = new AtomicInteger();
            Set<KafkaStreams.State> appStates = ConcurrentHashMap.newKeySet();
            int partition = Utils.toPositive(Utils.murmur2(CLUSTER.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            List<String> injected = new ArrayList<>();
            List<Long> restartedAt = new ArrayList<>();
            long lagRecoverySeconds;

            try (StreamApp app = StreamApps.start(appConfig);
                 SkewedClusterFeed feed = new SkewedClusterFeed(kafka.bootstrapServers(), SKEWED);
                 Admin admin = kafka.admin()) {
                SamplePublisher publisher = new SamplePublisher(config.kafka(), config.vmTopic(), config.hostTopic(),
                        config.outageTolerance(), config.bufferRecords(), metrics);
                try (Collector collector = new Collector(config, metrics, publisher, Clock.systemUTC())) {
                    collector.addPollListener(report -> {
                        report.vms().forEach(vm -> {
                            produced.add(SampleLedger.key(vm));
                            collectorVms.add(vm.getVmUuid());
                        });
                        produced.add(SampleLedger.key(report.host()));
                        polls.incrementAndGet();
                    });
                    collector.start();
                    Await.until("5 polls in the model", Duration.ofSeconds(60), () -> polls.get() >= 5
                            && total(intake(kafka, appId, produced)) >= 5 * (VMS + 1));

                    for (TopicPartition target : List.of(new TopicPartition(Topics.VM_SAMPLES, partition),
                            new TopicPartition(appId + "-" + Names.VM_STORE + "-changelog", partition))) {
                        int leader = kafka.leaderOf(target).orElseThrow();
                        int pollsBefore = polls.get();
                        kafka.stopNode(leader);
                        long stopped = System.currentTimeMillis();
                        Await.during(LOSS, () -> appStates.add(app.streams().state()));
                        String newLeader = kafka.leaderOf(target).map(n -> "node " + n).orElse("none");
                        kafka.startNode(leader);
                        restartedAt.add(System.currentTimeMillis());
                        injected.add(String.format("node %d (leader of %s) away %d s, %s led it meanwhile, %d polls "
                                + "meanwhile", leader, target, (System.currentTimeMillis() - stopped) / 1000, newLeader,
                                polls.get() - pollsBefore));
                        int pollsAtRestart = polls.get();
                        Await.until("5 more polls after node " + leader + " came back", Duration.ofSeconds(60),
                                () -> polls.get() >= pollsAtRestart + 5);
                    }
                    Await.until("the collector's backlog delivered", Duration.ofSeconds(90), () -> publisher.backlog() == 0);
                    collector.close();
                }
                Await.until("every produced sample in the model", Duration.ofSeconds(120), () -> {
                    appStates.add(app.streams().state());
                    return SampleLedger.covers(produced, intake(kafka, appId, produced));
                });
                feed.close();
                long quiet = System.nanoTime();
                Map<TopicPartition, Long> ends = ConsumerLag.ends(admin, List.of(Topics.VM_SAMPLES, Topics.HOST_SAMPLES));
                Await.until("the app's lag back to 0", Duration.ofSeconds(60), () -> {
                    try {
                        return ConsumerLag.behind(admin, appId, ends) == 0;
                    } catch (Exception e) {
                        return false;
                    }
                });
                lagRecoverySeconds = Await.secondsSince(quiet);
            }

            Map<String, Integer> inKafka = new TreeMap<>(SampleLedger.inKafka(kafka.bootstrapServers()));
            inKafka.keySet().removeIf(k -> !ofCollector(k, collectorVms));
            Map<String, Integer> inModel = intake(kafka, appId, produced);
            Discrepancy kafkaCount = Discrepancy.of(produced, inKafka);
            Discrepancy modelCount = Discrepancy.of(SampleLedger.asModelCounts(produced), inModel);
            Map<String, List<Long>> rounds = new TreeMap<>();
            AvroSerde<BalanceReport> reports = AvroSerde.of(BalanceReport.class);
            Map<String, List<Long>> createdAt = new TreeMap<>();
            KafkaReads.committed(kafka.bootstrapServers(), Topics.BALANCE_REPORTS).forEach(r -> {
                BalanceReport report = reports.decode(r.value());
                rounds.computeIfAbsent(report.getCluster(), c -> new ArrayList<>()).add(report.getRound());
                createdAt.computeIfAbsent(report.getCluster(), c -> new ArrayList<>()).add(report.getCreatedAtMillis());
            });
            AvroSerde<MigrationRecommendation> recs = AvroSerde.of(MigrationRecommendation.class);
            List<String> ids = new ArrayList<>();
            KafkaReads.committed(kafka.bootstrapServers(), Topics.RECOMMENDATIONS)
                    .forEach(r -> ids.add(recs.decode(r.value()).getId()));
            int deadLetters = KafkaReads.committed(kafka.bootstrapServers(), Topics.DEAD_LETTERS).size();

            injected.forEach(i -> System.out.println("broker failover: injected: " + i));
            System.out.printf("broker failover: counted %d samples produced by the collector (%d polls), %d in Kafka "
                    + "(%s), %d taken into the model (%s); rounds committed %s; %d recommendations, %d distinct ids; "
                    + "app states seen %s; lag 0 %d s after the load stopped; %d dead letters, collector lost %d; %d s%n",
                    produced.size(), polls.get(), total(inKafka), kafkaCount, total(inModel), modelCount,
                    rounds.entrySet().stream().map(e -> e.getKey() + " 1.." + e.getValue().size()).toList(),
                    ids.size(), new HashSet<>(ids).size(), appStates, lagRecoverySeconds, deadLetters,
                    metrics.samplesLost(), Await.secondsSince(began));

            assertTrue(kafkaCount.none(), "each produced sample in Kafka once: " + kafkaCount);
            assertTrue(modelCount.none(), "each produced sample taken into the model exactly once: " + modelCount);
            assertEquals(0, metrics.samplesLost(), "no sample lost by the collector");
            assertEquals(0, deadLetters, "no record refused");
            for (String cluster : SKEWED) {
                List<Long> numbers = rounds.getOrDefault(cluster, List.of());
                for (int i = 0; i < numbers.size(); i++) {
                    assertEquals(i + 1L, numbers.get(i), cluster + ": every round once, in order, no gap: " + numbers);
                }
                for (long restart : restartedAt) {
                    assertTrue(createdAt.get(cluster).stream().anyMatch(t -> t > restart + 1_000),
                            cluster + ": rounds go on after the node that came back at " + restart);
                }
            }
            assertEquals(ids.size(), new HashSet<>(ids).size(), "no recommendation id committed twice: " + ids);
            assertTrue(ids.size() >= 4, "recommendations were made: " + ids.size());
        }
    }

    /** The model's intake of the collector's samples (the skewed feed's hosts and VMs left out). */
    private static Map<String, Integer> intake(EmbeddedKafkaCluster kafka, String appId, Set<String> produced) {
        Map<String, Integer> expected = SampleLedger.asModelCounts(produced);
        Map<String, Integer> inModel = new TreeMap<>(SampleLedger.inModel(kafka.bootstrapServers(), appId));
        inModel.keySet().removeIf(k -> k.startsWith("host ") ? !expected.containsKey(k)
                : SKEWED.stream().anyMatch(c -> k.startsWith("vm " + c + "-")));
        return inModel;
    }

    private static boolean ofCollector(String key, Set<String> collectorVms) {
        if (key.startsWith("host ")) {
            return key.startsWith("host node-1@");
        }
        return collectorVms.contains(key.substring(3, key.lastIndexOf('@')));
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
