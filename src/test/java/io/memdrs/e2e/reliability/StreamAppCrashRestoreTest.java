package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.model.DemandModel;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import io.memdrs.stream.topology.Names;
import io.memdrs.stream.topology.StreamSerdes;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream app (its own JVM, exactly-once v2) works through a backlog and is SIGKILLed three times on the way, each
 * life after another eighth of it, at a moment when the broker shows one of its transactions open with output already
 * written; each life starts on the same state directory. The model keeps VM and host state in
 * memory and writes it to the changelogged stores once per commit, so this is where a write outside the
 * transaction would show: after the last life, the committed state must be exactly the state of every sample taken
 * in once — per VM the sample count and the demand the demand model gives for its samples in order, per host the
 * sum of its VMs' demand and their count.
 */
@Tag("integration")
class StreamAppCrashRestoreTest {
    private static final int CLUSTERS = 100;
    private static final int HOSTS = 5;
    private static final int VMS_PER_HOST = 10;
    private static final int POLLS = 20;
    private static final long GIB = 1024L * 1024;

    @TempDir
    static Path work;

    @Test
    void shouldCommitExactlyTheStateOfEverySampleTakenInOnceAcrossHardKills() throws Exception {
        long began = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 2, (short) 1);
            }
            Expected expected = produceBacklog(broker.bootstrapServers());
            String appId = "crash-restore";
            Path config = PropertiesFile.write(work.resolve("stream.properties"), Map.ofEntries(
                    Map.entry("stream.application-id", appId),
                    Map.entry("stream.state-dir", work.resolve("state").toString()),
                    Map.entry("stream.http.port", "0"),
                    Map.entry("kafka.bootstrap.servers", broker.bootstrapServers()),
                    // No rounds: a round drops VMs whose samples are old, and this backlog is old by design.
                    Map.entry("drs.round.interval", "24h"),
                    // Small polls and commits: many commits while the backlog lasts, and a kill lands inside one.
                    Map.entry("streams.max.poll.records", "200"),
                    Map.entry("streams.commit.interval.ms", "200"),
                    // Host samples are a tenth of the backlog and fetched far ahead of the VM samples; without
                    // idling for the VM partition they are all taken in early, and later transactions write no host
                    // loads for a kill to abort.
                    Map.entry("streams.max.task.idle.ms", "1000"),
                    Map.entry("streams.session.timeout.ms", "6000"),
                    Map.entry("streams.heartbeat.interval.ms", "1000")));
            List<String> kills = new ArrayList<>();
            try (Admin admin = broker.admin()) {
                Map<TopicPartition, Long> ends = ConsumerLag.ends(admin, List.of(Topics.VM_SAMPLES, Topics.HOST_SAMPLES));
                long total = ends.values().stream().mapToLong(Long::longValue).sum();
                for (int life = 1; life <= 4; life++) {
                    long lifeBegan = System.nanoTime();
                    JvmProcess app = JvmProcess.start("stream app, life " + life, ProjectFiles.streamJar(), List.of(),
                            work.resolve("stream-" + life + ".log"), "run", "--config", config.toString());
                    try {
                        long behindBefore = ConsumerLag.behind(admin, appId, ends);
                        TransactionalEnds atStart = TransactionalEnds.of(admin, Topics.HOST_LOAD);
                        // Each of the first three lives is killed once it has committed another eighth of the backlog
                        // (commits 200 ms apart, a few thousand records each), while most of it is still ahead.
                        long killAt = life <= 3 ? total - behindBefore + total / 8 : total;
                        Await.until(app.name() + " past " + killAt + " of " + total + " records", Duration.ofSeconds(120), () -> {
                            assertTrue(app.isAlive(), app.name() + " died:\n" + app.output());
                            try {
                                return total - ConsumerLag.behind(admin, appId, ends) >= killAt;
                            } catch (Exception e) {
                                return false;
                            }
                        });
                        if (life <= 3) {
                            // Killed while a transaction of this life holds host loads in the log (one a killed
                            // life left open holds the stable end back until the next life fences it).
                            Await.until(app.name() + " inside a transaction with output written", Duration.ofSeconds(30),
                                    () -> {
                                        try {
                                            return TransactionalEnds.of(admin, Topics.HOST_LOAD).openTransactionSince(atStart);
                                        } catch (Exception e) {
                                            return false;
                                        }
                                    }, Duration.ofMillis(5));
                            app.kill();
                        }
                        long done = total - ConsumerLag.behind(admin, appId, ends);
                        if (life <= 3) {
                            kills.add(String.format("life %d: from %d to %d committed records in %d s, then SIGKILL",
                                    life, total - behindBefore, done, Await.secondsSince(lifeBegan)));
                        } else {
                            kills.add(String.format("life %d: from %d to all %d records in %d s", life,
                                    total - behindBefore, total, Await.secondsSince(lifeBegan)));
                            int exit = app.stop();
                            assertTrue(exit == 0 || exit == 143, "clean stop: " + exit);
                        }
                    } finally {
                        if (app.isAlive()) {
                            app.kill();
                        }
                    }
                }
            }

            Map<String, VmState> vms = lastCommitted(broker, appId + "-" + Names.VM_STORE + "-changelog",
                    StreamSerdes.standard().vmState()::decode);
            Map<String, HostState> hosts = lastCommitted(broker, appId + "-" + Names.HOST_STORE + "-changelog",
                    StreamSerdes.standard().hostState()::decode);
            // State reaches its changelog only when a transaction commits; the host loads a host sample forwards
            // are sent while it is open: those of the killed transactions are aborted, and sent again by the next life.
            int aborted = KafkaReads.read(broker.bootstrapServers(), Map.of(), "read_uncommitted", Topics.HOST_LOAD).size()
                    - KafkaReads.committed(broker.bootstrapServers(), Topics.HOST_LOAD).size();
            kills.forEach(k -> System.out.println("crash restore: " + k));

            int wrongVms = 0;
            for (var e : expected.vms.entrySet()) {
                VmState got = vms.get(e.getKey());
                if (got == null || got.getSamples() != POLLS || got.getDemandKiB() != e.getValue().getDemandKiB()
                        || got.getLastSampleMillis() != e.getValue().getLastSampleMillis()) {
                    wrongVms++;
                    if (wrongVms <= 3) {
                        System.out.println("crash restore: " + e.getKey() + " expected " + POLLS + " samples, demand "
                                + e.getValue().getDemandKiB() + "; committed " + (got == null ? "nothing"
                                : got.getSamples() + " samples, demand " + got.getDemandKiB()));
                    }
                }
            }
            int wrongHosts = 0;
            for (var e : expected.hostDemand.entrySet()) {
                HostState got = hosts.get(e.getKey());
                if (got == null || got.getDemandKiB() != e.getValue() || got.getVmCount() != VMS_PER_HOST) {
                    wrongHosts++;
                }
            }
            System.out.printf("crash restore: %d VMs x %d samples in a backlog, 3 SIGKILLs; committed state: %d VMs "
                    + "(%d differ from every sample once), %d hosts (%d with wrong sums); %d host loads in "
                    + "aborted transactions (redone); %d s%n", expected.vms.size(), POLLS, vms.size(), wrongVms,
                    hosts.size(), wrongHosts, aborted, Await.secondsSince(began));
            assertEquals(expected.vms.size(), vms.size(), "one committed state per VM");
            assertEquals(0, wrongVms, "every VM's committed state is that of each of its samples taken in once");
            assertEquals(0, wrongHosts, "every host's committed sums are those of its VMs");
            assertTrue(aborted > 0, "a kill fell inside an open transaction (its output aborted): " + aborted);
        }
    }

    /** What the model must hold after every sample once: the demand model applied to each VM's samples in order. */
    private record Expected(Map<String, VmState> vms, Map<String, Long> hostDemand) {}

    private static Expected produceBacklog(String bootstrap) throws Exception {
        DrsSettings defaults = DrsSettings.from(ConfigSource.of(Map.of()));
        DemandModel model = new DemandModel(defaults.halfLife(), defaults.peakWindow());
        StreamSerdes serdes = StreamSerdes.standard();
        Map<String, VmState> vms = new TreeMap<>();
        long start = System.currentTimeMillis() - POLLS * 10_000L;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int poll = 0; poll < POLLS; poll++) {
                long t = start + poll * 10_000L;
                for (int c = 0; c < CLUSTERS; c++) {
                    String cluster = "crash-" + c;
                    for (int h = 0; h < HOSTS; h++) {
                        String host = "h" + h;
                        for (int v = 0; v < VMS_PER_HOST; v++) {
                            String uuid = cluster + "-" + h + "-" + v;
                            long usage = (1 + (v * 7 + poll * 3) % 11) * GIB / 2;
                            VmMemorySample sample = Samples.vm(cluster, host, uuid, usage, t);
                            vms.compute(Names.key(cluster, uuid), (k, previous) -> model.next(previous, sample));
                            producer.send(new ProducerRecord<>(Topics.VM_SAMPLES, cluster, serdes.vmSample().encode(sample)));
                        }
                        HostMemorySample hostSample = Samples.host(cluster, host, 128 * GIB, 10, t);
                        producer.send(new ProducerRecord<>(Topics.HOST_SAMPLES, cluster, serdes.hostSample().encode(hostSample)));
                    }
                }
            }
            producer.flush();
        }
        Map<String, Long> hostDemand = new HashMap<>();
        vms.values().forEach(vm -> hostDemand.merge(Names.key(vm.getCluster(), vm.getHost()), vm.getDemandKiB(), Long::sum));
        return new Expected(vms, hostDemand);
    }

    private static <V> Map<String, V> lastCommitted(EmbeddedKafkaBroker broker, String topic,
                                                    java.util.function.Function<byte[], V> decode) {
        Map<String, V> last = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : KafkaReads.committed(broker.bootstrapServers(), topic)) {
            if (r.value() == null) {
                last.remove(r.key());
            } else {
                last.put(r.key(), decode.apply(r.value()));
            }
        }
        return last;
    }
}
