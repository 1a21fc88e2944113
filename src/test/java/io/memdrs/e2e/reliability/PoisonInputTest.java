package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.HostLoad;
import io.memdrs.e2e.reliability.PoisonRecords.Poison;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.topology.StreamSerdes;
import io.memdrs.topics.DeadLetter;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage on every input topic, sent by a plain byte-array producer (not the memdrs serde) between the records of
 * a healthy, balanced cluster: each bad record ends in {@code memdrs.dead-letters} with its failure code, its reason
 * and where it came from, the dead-letter metric counts it, the good records around it are all processed, and no
 * recommendation comes from it (an absurd VM on h1, an h2 that seems empty, a maintenance of h1 would each move
 * VMs if believed); the same maintenance instruction, well formed, then does.
 */
@Tag("integration")
class PoisonInputTest {
    private static final String CLUSTER = "poisoned";
    private static final List<String> HOSTS = List.of("h1", "h2");
    private static final int VMS_PER_HOST = 3;

    @TempDir
    static Path work;

    @Test
    void shouldDeadLetterEveryBadRecordAndKeepModellingTheGoodOnes() throws Exception {
        long began = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 2, (short) 1);
            }
            String appId = "poison-test";
            Map<String, String> config = StreamApps.config(broker.bootstrapServers(), appId, work.resolve("state"),
                    Map.of("drs.round.interval", "1s", "drs.hold", "0s", "drs.stale.periods", "5"));
            // A minute ahead (within the tolerated clock skew): a bad record that were believed would be the
            // newest word on its VM or host for the whole test, so any effect on the model would show.
            List<Poison> poisons = PoisonRecords.all(CLUSTER, vmUuid("h1", 0), System.currentTimeMillis() + 60_000,
                    new Random(7));
            Map<Poison, RecordMetadata> sentAt = new HashMap<>();
            Set<String> goodVmSamples = new HashSet<>();
            Set<String> goodHostSamples = new HashSet<>();

            try (StreamApp app = StreamApps.start(config);
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                         ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer())) {
                GoodCluster good = new GoodCluster(producer, goodVmSamples, goodHostSamples);
                good.sendOnePoll();
                for (Poison poison : poisons) {
                    String key = poison.key(CLUSTER);
                    sentAt.put(poison, producer.send(new ProducerRecord<>(poison.topic(), key == null ? null : bytes(key),
                            poison.value())).get());
                    good.sendOnePoll();
                }
                // Rounds keep running on the good data for a few seconds after the last bad record.
                long roundsUntil = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < roundsUntil) {
                    good.sendOnePoll();
                    Thread.sleep(250); // pacing of the good cluster's polls, not a wait for an outcome
                }
                Await.until(poisons.size() + " dead letters", Duration.ofSeconds(60),
                        () -> KafkaReads.committed(broker.bootstrapServers(), Topics.DEAD_LETTERS).size() >= poisons.size());
                Await.until("every good VM sample in the model", Duration.ofSeconds(60),
                        () -> SampleLedger.Discrepancy.of(perVm(goodVmSamples), modelledVmSamples(broker, appId)).missing().isEmpty());
                double deadLetterMetric = StreamApps.metric(app, "dead-letter-total");

                List<ConsumerRecord<String, byte[]>> dead = KafkaReads.committed(broker.bootstrapServers(),
                        Topics.DEAD_LETTERS);
                Map<String, Integer> vmModel = modelledVmSamples(broker, appId);
                Map<String, Integer> hostLoads = hostLoadsPerSample(broker);
                // Round 1 may run while the first poll is still arriving; every later round sees the whole cluster.
                List<BalanceReport> reports = reports(broker).stream().filter(r -> r.getRound() > 1).toList();
                int recommendations = KafkaReads.committed(broker.bootstrapServers(), Topics.RECOMMENDATIONS).size();

                System.out.printf("poison: injected %d bad records (%s) between %d good VM and %d good host samples%n",
                        poisons.size(), countByTopic(poisons), goodVmSamples.size(), goodHostSamples.size());
                System.out.printf("poison: counted %d dead letters (%s), metric dead-letter-total %.0f; model saw %d "
                        + "good VM samples, %d host loads from good host samples; %d rounds, %d recommendations; %d s%n",
                        dead.size(), countByFailure(dead), deadLetterMetric, vmModel.values().stream().mapToInt(Integer::intValue).sum(),
                        count(hostLoads, goodHostSamples), reports.size(), recommendations, Await.secondsSince(began));

                assertEquals(poisons.size(), dead.size(), "one dead letter per bad record");
                assertEquals(poisons.size(), (long) deadLetterMetric, "dead-letter-total counts every bad record");
                for (Poison poison : poisons) {
                    ConsumerRecord<String, byte[]> letter = letterFor(dead, sentAt.get(poison));
                    String failure = DeadLetter.header(letter.headers(), DeadLetter.FAILURE);
                    String reason = DeadLetter.header(letter.headers(), DeadLetter.REASON);
                    System.out.printf("  %-20s %-50s -> %-19s %s%n", poison.topic(), poison.what(), failure, reason);
                    assertEquals(poison.expectedFailure(), failure, poison.topic() + ": " + poison.what() + ": " + reason);
                    assertTrue(reason != null && reason.length() > 10, "a reason in words: " + reason);
                    assertArrayEquals(poison.value(), letter.value(), "the original bytes, untouched: " + poison.what());
                    assertEquals(poison.key(CLUSTER), letter.key(), "the original key");
                }

                SampleLedger.Discrepancy vmIntake = SampleLedger.Discrepancy.of(perVm(goodVmSamples), vmModel);
                assertTrue(vmIntake.none(), "each good VM sample modelled once, no bad one: " + vmIntake);
                Map<String, Long> lastGood = new HashMap<>();
                goodVmSamples.forEach(k -> lastGood.merge(k.substring(0, k.lastIndexOf('@')),
                        Long.parseLong(k.substring(k.lastIndexOf('@') + 1)), Math::max));
                SampleLedger.committedVms(broker.bootstrapServers(), appId).forEach((uuid, vm) -> assertEquals(
                        lastGood.get(uuid), vm.getLastSampleMillis(), uuid + ": the newest word is a good sample's"));
                assertEquals(goodHostSamples.size(), count(hostLoads, goodHostSamples), "a host load per good host sample");
                assertTrue(reports.size() >= 3, "rounds ran on the good data: " + reports.size());
                for (BalanceReport report : reports) {
                    assertEquals(CLUSTER, report.getCluster(), "no cluster made up by a bad record");
                    assertEquals(HOSTS.size() * VMS_PER_HOST, report.getVmCount(), "round " + report.getRound() + " VMs");
                    assertEquals(HOSTS.size(), report.getHostCount(), "round " + report.getRound() + " hosts");
                    assertTrue(report.getRecommendationIds().isEmpty(), "round " + report.getRound() + ": "
                            + report.getSummary());
                }
                assertEquals(0, recommendations, "no recommendation from bad input");

                // The counter-check: the same maintenance instruction, well formed, does move VMs off h1.
                producer.send(new ProducerRecord<>(Topics.CONTROL, bytes(CLUSTER), StreamSerdes.standard().control()
                        .encode(Samples.maintenance(CLUSTER, "maintenance/h1", "h1", System.currentTimeMillis())))).get();
                Await.until("an evacuation of h1 after a valid maintenance instruction", Duration.ofSeconds(30), () -> {
                    good.sendOnePoll();
                    return !KafkaReads.committed(broker.bootstrapServers(), Topics.RECOMMENDATIONS).isEmpty();
                });
                int evacuations = KafkaReads.committed(broker.bootstrapServers(), Topics.RECOMMENDATIONS).size();
                System.out.printf("poison: a valid maintenance instruction for h1 gave %d recommendations%n", evacuations);
                assertTrue(evacuations >= 1, "the pipeline does recommend from good input: " + evacuations);
            }
        }
    }

    /** The good cluster: two hosts of 64 GiB, three VMs of 8 GiB on each, balanced; one poll at a time. */
    private static final class GoodCluster {
        private final KafkaProducer<byte[], byte[]> producer;
        private final Set<String> vmSamples;
        private final Set<String> hostSamples;
        private final StreamSerdes serdes = StreamSerdes.standard();
        private long lastTime;

        GoodCluster(KafkaProducer<byte[], byte[]> producer, Set<String> vmSamples, Set<String> hostSamples) {
            this.producer = producer;
            this.vmSamples = vmSamples;
            this.hostSamples = hostSamples;
        }

        void sendOnePoll() {
            long now = Math.max(System.currentTimeMillis(), lastTime + 1);
            lastTime = now;
            for (String host : HOSTS) {
                for (int v = 0; v < VMS_PER_HOST; v++) {
                    String uuid = vmUuid(host, v);
                    send(Topics.VM_SAMPLES, serdes.vmSample().encode(Samples.vm(CLUSTER, host, uuid, 8 * Samples.GIB, now)));
                    vmSamples.add(uuid + "@" + now);
                }
                send(Topics.HOST_SAMPLES, serdes.hostSample().encode(Samples.host(CLUSTER, host, 64 * Samples.GIB, 1, now)));
                hostSamples.add(host + "@" + now);
            }
        }

        private void send(String topic, byte[] value) {
            try {
                producer.send(new ProducerRecord<>(topic, bytes(CLUSTER), value)).get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("cannot send a good sample to " + topic, e);
            }
        }
    }

    private static String vmUuid(String host, int index) {
        return "vm-" + host + "-" + index;
    }

    /** VM uuid → samples the model took in, from each VM's last committed state. */
    private static Map<String, Integer> modelledVmSamples(EmbeddedKafkaBroker broker, String appId) {
        Map<String, Integer> seen = new TreeMap<>();
        SampleLedger.committedVms(broker.bootstrapServers(), appId).forEach((uuid, vm) -> seen.put(uuid, (int) vm.getSamples()));
        return seen;
    }

    /** "uuid@time" identities → samples per VM uuid. */
    private static Map<String, Integer> perVm(Set<String> samples) {
        Map<String, Integer> counts = new TreeMap<>();
        samples.forEach(k -> counts.merge(k.substring(0, k.lastIndexOf('@')), 1, Integer::sum));
        return counts;
    }

    /** (host, sample time) → host loads published for that host sample. */
    private static Map<String, Integer> hostLoadsPerSample(EmbeddedKafkaBroker broker) {
        Map<String, Integer> seen = new TreeMap<>();
        AvroSerde<HostLoad> serde = AvroSerde.of(HostLoad.class);
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(broker.bootstrapServers(), Topics.HOST_LOAD)) {
            HostLoad load = serde.decode(r.value());
            seen.merge(load.getHost() + "@" + load.getComputedAtMillis(), 1, Integer::sum);
        }
        return seen;
    }

    private static List<BalanceReport> reports(EmbeddedKafkaBroker broker) {
        AvroSerde<BalanceReport> serde = AvroSerde.of(BalanceReport.class);
        List<BalanceReport> reports = new ArrayList<>();
        KafkaReads.committed(broker.bootstrapServers(), Topics.BALANCE_REPORTS).forEach(r -> reports.add(serde.decode(r.value())));
        return reports;
    }

    private static ConsumerRecord<String, byte[]> letterFor(List<ConsumerRecord<String, byte[]>> dead, RecordMetadata source) {
        for (ConsumerRecord<String, byte[]> letter : dead) {
            if (source.topic().equals(DeadLetter.header(letter.headers(), DeadLetter.TOPIC))
                    && Integer.toString(source.partition()).equals(DeadLetter.header(letter.headers(), DeadLetter.PARTITION))
                    && Long.toString(source.offset()).equals(DeadLetter.header(letter.headers(), DeadLetter.OFFSET))) {
                return letter;
            }
        }
        throw new AssertionError("no dead letter for " + source + " among " + dead.size());
    }

    private static int count(Map<String, Integer> seen, Set<String> keys) {
        return (int) keys.stream().filter(seen::containsKey).count();
    }

    private static Map<String, Integer> countByTopic(List<Poison> poisons) {
        Map<String, Integer> counts = new TreeMap<>();
        poisons.forEach(p -> counts.merge(p.topic(), 1, Integer::sum));
        return counts;
    }

    private static Map<String, Integer> countByFailure(List<ConsumerRecord<String, byte[]>> dead) {
        Map<String, Integer> counts = new TreeMap<>();
        dead.forEach(r -> counts.merge(DeadLetter.header(r.headers(), DeadLetter.FAILURE), 1, Integer::sum));
        return counts;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
