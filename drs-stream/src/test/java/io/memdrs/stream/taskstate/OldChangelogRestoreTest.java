package io.memdrs.stream.taskstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.HostLoad;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.VmState;
import io.memdrs.stream.topology.ClusterFixture;
import io.memdrs.stream.topology.Names;
import io.memdrs.stream.topology.StreamSerdes;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade: the changelogs hold state as the previous release wrote it (Avro single objects, the vm-state schema
 * without {@code samples}), and this release starts on an empty state directory. It restores that state, continues
 * the round count, plans with the restored VMs and hosts, and writes what it changes in the compact format.
 */
@Tag("integration")
class OldChangelogRestoreTest {
    private static final String CLUSTER = "upgrade";
    private static final long GIB = 1024L * 1024;

    @TempDir
    static Path work;

    @Test
    void shouldRestoreAChangelogWrittenByThePreviousReleaseAndContinueFromIt() throws Exception {
        String appId = "old-changelog";
        long now = System.currentTimeMillis();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 1, (short) 1);
                List<NewTopic> changelogs = new ArrayList<>();
                for (String store : List.of(Names.VM_STORE, Names.HOST_STORE, Names.CLUSTER_STORE)) {
                    changelogs.add(new NewTopic(appId + "-" + store + "-changelog", 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")));
                }
                admin.createTopics(changelogs).all().get();
            }
            // The previous release's state: h1 holds vm-0..vm-3 (4 GiB each), h2 holds vm-4 (4 GiB); round 7 done.
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int v = 0; v < 5; v++) {
                    String host = v < 4 ? "h1" : "h2";
                    producer.send(new ProducerRecord<>(appId + "-vm-state-changelog", Names.key(CLUSTER, "vm-" + v),
                            PreviousReleaseState.vm(CLUSTER, "vm-" + v, host, 4 * GIB, now - 2_000)));
                }
                producer.send(new ProducerRecord<>(appId + "-host-state-changelog", Names.key(CLUSTER, "h1"),
                        PreviousReleaseState.host(CLUSTER, "h1", 32 * GIB, 16 * GIB, 4, now - 2_000)));
                producer.send(new ProducerRecord<>(appId + "-host-state-changelog", Names.key(CLUSTER, "h2"),
                        PreviousReleaseState.host(CLUSTER, "h2", 32 * GIB, 4 * GIB, 1, now - 2_000)));
                producer.send(new ProducerRecord<>(appId + "-cluster-state-changelog", CLUSTER,
                        new AvroStateCodec<>(ClusterState.class).encode(ClusterState.newBuilder().setCluster(CLUSTER)
                                .setRound(7).setLastRoundMillis(now - 60_000).setImbalanceAboveSinceMillis(0)
                                .setHistory(List.of()).build())));
                producer.flush();
            }

            int port = freePort();
            StreamConfig config = StreamConfig.from(ConfigSource.of(Map.of("stream.application-id", appId,
                    "stream.state-dir", work.resolve("state").toString(), "stream.http.port", Integer.toString(port),
                    "stream.http.bind", "127.0.0.1", "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "streams.commit.interval.ms", "200")));
            DrsSettings drs = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "1s", "drs.hold", "0s")));
            StreamSerdes serdes = StreamSerdes.standard();
            try (StreamApp app = new StreamApp(config, drs)) {
                app.start();
                assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "app did not start");

                BalanceReport first = awaitFirst(broker, Topics.BALANCE_REPORTS, AvroSerde.of(BalanceReport.class)::decode,
                        r -> r.getCluster().equals(CLUSTER));
                assertEquals(8, first.getRound(), "the round count continues from the restored 7");
                HostLoad h1 = awaitFirst(broker, Topics.HOST_LOAD, AvroSerde.of(HostLoad.class)::decode,
                        l -> l.getHost().equals("h1") && l.getComputedAtMillis() >= first.getCreatedAtMillis());
                assertEquals(16 * GIB, h1.getDemandKiB(), "h1's restored sums");
                assertEquals(4, h1.getVmCount());

                String vms = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/clusters/" + CLUSTER + "/vms")).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (int v = 0; v < 5; v++) {
                    assertTrue(vms.contains("\"vm-" + v + "\""), "restored VM vm-" + v + " served over HTTP: " + vms);
                }

                long sampleTime = System.currentTimeMillis();
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                        new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(Topics.VM_SAMPLES, CLUSTER, serdes.vmSample().encode(
                            ClusterFixture.vm(CLUSTER, "h1", "vm-0", 4, sampleTime)))).get();
                }
                byte[] rewritten = awaitFirst(broker, appId + "-vm-state-changelog", bytes -> bytes,
                        bytes -> bytes[0] == (byte) 0xB7 && serdes.vmState().decode(bytes).getVmUuid().equals("vm-0")
                                && serdes.vmState().decode(bytes).getLastSampleMillis() == sampleTime);
                VmState vm0 = serdes.vmState().decode(rewritten);
                assertEquals(1, vm0.getSamples(), "the first sample counted after the upgrade");
                assertEquals(Map.of("old-host", now - 3_000), vm0.getEarlierLeftHosts(), "history carried over");
                System.out.printf("old changelog: restored 5 VMs, 2 hosts and round 7 written by the previous release; "
                        + "round %d next, h1 %d KiB over %d VMs; vm-0 rewritten in the compact format (%d bytes)%n",
                        first.getRound(), h1.getDemandKiB(), h1.getVmCount(), rewritten.length);
            }
        }
    }

    @Test
    void shouldStopNamingStoreKeyAndVersionWhenTheChangelogHoldsANewerFormat() throws Exception {
        String appId = "newer-changelog";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker-newer"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 1, (short) 1);
                admin.createTopics(List.of(new NewTopic(appId + "-" + Names.VM_STORE + "-changelog", 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
            }
            byte[] newer = new VmStateCodec().encode(new VmStateCodec().decode(
                    PreviousReleaseState.vm(CLUSTER, "vm-9", "h1", GIB, System.currentTimeMillis())));
            newer[2] = 7; // format version 7: a release from the future
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(appId + "-" + Names.VM_STORE + "-changelog",
                        Names.key(CLUSTER, "vm-9"), newer)).get();
                producer.send(new ProducerRecord<>(Topics.VM_SAMPLES, CLUSTER, StreamSerdes.standard().vmSample()
                        .encode(ClusterFixture.vm(CLUSTER, "h1", "vm-9", 1, System.currentTimeMillis())))).get();
            }
            StreamConfig config = StreamConfig.from(ConfigSource.of(Map.of("stream.application-id", appId,
                    "stream.state-dir", work.resolve("state-newer").toString(), "stream.http.port", "0",
                    "kafka.bootstrap.servers", broker.bootstrapServers())));
            try (StreamApp app = new StreamApp(config, DrsSettings.from(ConfigSource.of(Map.of())))) {
                app.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (app.streams().state() != org.apache.kafka.streams.KafkaStreams.State.ERROR
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100); // polling the app's state for the outcome, with a deadline
                }
                assertEquals(org.apache.kafka.streams.KafkaStreams.State.ERROR, app.streams().state(),
                        "the app stops on state it cannot read, rather than replacing its thread forever");
            }
        }
    }

    /** The first committed record of {@code topic} that decodes to a value matching {@code wanted}, within 60 s. */
    private static <T> T awaitFirst(EmbeddedKafkaBroker broker, String topic, Function<byte[], T> decode,
                                    java.util.function.Predicate<T> wanted) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        Optional<T> value = Optional.of(decode.apply(r.value())).filter(wanted);
                        if (value.isPresent()) {
                            return value.get();
                        }
                    }
                }
            }
        }
        throw new AssertionError("no matching committed record on " + topic + " within 60 s");
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
