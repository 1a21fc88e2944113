package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.HostLoad;
import io.memdrs.demo.FleetGenerator;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path against a broker that requires SASL/SCRAM-SHA-512 and authorizes with ACLs: the collector (its
 * runnable jar, its own user, allowed only to write the sample topics) → broker → the stream app (its own user,
 * least privilege) → host loads and balance reports, with every credential passed through {@code kafka.} keys
 * only. Wrong credentials are refused at authentication; the collector's user cannot read the recommendations,
 * forge one, or read back samples. No password appears in any log line of either program.
 */
@Tag("integration")
class SecuredPipelineTest {
    private static final String CLUSTER = "secured";
    private static final String APP_ID = "memdrs-secured";

    @TempDir
    static Path work;

    @Test
    void shouldRunTheWholePathWithScramAndAclsAndRefuseEveryoneElse() throws Exception {
        long began = System.nanoTime();
        ScramKafka kafka = ScramKafka.start(work.resolve("broker"));
        try (kafka.broker; Admin admin = kafka.broker.admin()) {
            TopicPlan.createMissing(admin, 2, (short) 1);
            admin.createAcls(MemdrsAcls.collector(ScramKafka.COLLECTOR)).all().get();
            admin.createAcls(MemdrsAcls.streamApp(ScramKafka.STREAM, APP_ID)).all().get();
            int acls = MemdrsAcls.collector(ScramKafka.COLLECTOR).size()
                    + MemdrsAcls.streamApp(ScramKafka.STREAM, APP_ID).size();

            Map<String, String> appConfig = new HashMap<>(Map.of("drs.round.interval", "2s", "drs.hold", "0s"));
            kafka.clientOf(ScramKafka.STREAM).forEach((k, v) -> appConfig.put("kafka." + k, v));
            List<String> appSecretLines;
            JvmProcess collector = startCollector(kafka);
            try (LogCapture logs = new LogCapture();
                 StreamApp app = StreamApps.start(StreamApps.config(kafka.bootstrap(), APP_ID, work.resolve("state"),
                         appConfig))) {
                Await.until("host loads and a balance report of the collector's host", Duration.ofSeconds(90), () -> {
                    assertTrue(collector.isAlive(), "collector died:\n" + collector.output());
                    return hostLoads(kafka).size() >= 3 && !reports(kafka).isEmpty();
                });
                appSecretLines = new ArrayList<>();
                kafka.passwords.values().forEach(p -> appSecretLines.addAll(logs.linesWith(p)));
                System.out.printf("secured: stream app and broker logged %d lines in this JVM, %d with a password%n",
                        logs.lines().size(), appSecretLines.size());
            } finally {
                collector.stop();
            }
            String collectorLog = collector.output();
            int hostLoads = hostLoads(kafka).size();
            int reports = reports(kafka).size();

            Throwable wrongPassword = refusal(() -> describeCluster(kafka, ScramKafka.client(ScramKafka.COLLECTOR, "guess")));
            Throwable unknownUser = refusal(() -> describeCluster(kafka, ScramKafka.client("mallory", "guess")));
            Throwable readRecommendations = refusal(() -> readOne(kafka, kafka.clientOf(ScramKafka.COLLECTOR), Topics.RECOMMENDATIONS));
            Throwable forgeRecommendation = refusal(() -> writeOne(kafka, kafka.clientOf(ScramKafka.COLLECTOR), Topics.RECOMMENDATIONS));
            Throwable readSamples = refusal(() -> readOne(kafka, kafka.clientOf(ScramKafka.COLLECTOR), Topics.VM_SAMPLES));
            Throwable appForgesSamples = refusal(() -> writeOne(kafka, kafka.clientOf(ScramKafka.STREAM), Topics.VM_SAMPLES));

            System.out.printf("secured: SASL_PLAINTEXT SCRAM-SHA-512 broker, %d ACLs; collector (jar, user %s) -> "
                    + "stream app (user %s): counted %d host loads and %d balance reports of cluster %s; %d s%n", acls,
                    ScramKafka.COLLECTOR, ScramKafka.STREAM, hostLoads, reports, CLUSTER, Await.secondsSince(began));
            System.out.printf("secured: injected wrong password -> %s%n", wrongPassword);
            System.out.printf("secured: injected unknown user -> %s%n", unknownUser);
            System.out.printf("secured: collector reads %s -> %s%n", Topics.RECOMMENDATIONS, readRecommendations);
            System.out.printf("secured: collector writes %s -> %s%n", Topics.RECOMMENDATIONS, forgeRecommendation);
            System.out.printf("secured: collector reads %s -> %s%n", Topics.VM_SAMPLES, readSamples);
            System.out.printf("secured: stream app writes %s -> %s%n", Topics.VM_SAMPLES, appForgesSamples);
            long collectorSecretLines = collectorLog.lines()
                    .filter(l -> kafka.passwords.values().stream().anyMatch(l::contains)).count();
            System.out.printf("secured: collector logged %d lines, %d with a password, %d showing the masked JAAS "
                    + "config%n", collectorLog.lines().count(), collectorSecretLines,
                    collectorLog.lines().filter(l -> l.contains("sasl.jaas.config")).count());

            assertTrue(hostLoads >= 3, "samples went collector -> broker -> stream app: " + hostLoads);
            assertTrue(reports >= 1, "the app ran decision rounds: " + reports);
            assertInstanceOf(SaslAuthenticationException.class, wrongPassword, "wrong password refused");
            assertInstanceOf(SaslAuthenticationException.class, unknownUser, "unknown user refused");
            assertInstanceOf(TopicAuthorizationException.class, readRecommendations, "collector cannot read recommendations");
            assertInstanceOf(TopicAuthorizationException.class, forgeRecommendation, "collector cannot forge a recommendation");
            assertInstanceOf(TopicAuthorizationException.class, readSamples, "collector may only write samples");
            assertInstanceOf(TopicAuthorizationException.class, appForgesSamples, "the stream app cannot write samples");
            assertEquals(List.of(), appSecretLines, "no password in the stream app's or broker's log lines");
            assertEquals(0, collectorSecretLines, "no password in the collector's log:\n" + collectorLog);
            assertTrue(collectorLog.contains("sasl.jaas.config"), "the collector did log its (masked) Kafka settings");
        }
    }

    /** The collector's runnable jar, with its Kafka client settings logged (INFO) so that they can be checked. */
    private static JvmProcess startCollector(ScramKafka kafka) throws Exception {
        Path node = work.resolve("node.xml");
        Files.writeString(node, FleetGenerator.nodeXml(FleetGenerator.generate(1, 4, 5).get(0)));
        Map<String, String> config = new HashMap<>(Map.of("collector.cluster", CLUSTER, "collector.host", "node-1",
                "collector.libvirt.uri", "test://" + node.toAbsolutePath(), "collector.poll.interval", "1s",
                "collector.metrics.port", "0", "kafka.bootstrap.servers", kafka.bootstrap()));
        kafka.clientOf(ScramKafka.COLLECTOR).forEach((k, v) -> config.put("kafka." + k, v));
        Path logback = work.resolve("collector-logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %-5level [%thread] %logger - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka" level="INFO"/>
                  <root level="DEBUG"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        return JvmProcess.start("collector", ProjectFiles.collectorJar(),
                List.of("-Dlogback.configurationFile=" + logback), work.resolve("collector.log"),
                "run", "--config", PropertiesFile.write(work.resolve("collector.properties"), config).toString());
    }

    private static List<HostLoad> hostLoads(ScramKafka kafka) {
        AvroSerde<HostLoad> serde = AvroSerde.of(HostLoad.class);
        return KafkaReads.read(kafka.bootstrap(), adminClient(kafka), "read_committed", Topics.HOST_LOAD).stream()
                .map(r -> serde.decode(r.value())).filter(l -> l.getCluster().equals(CLUSTER)).toList();
    }

    private static List<BalanceReport> reports(ScramKafka kafka) {
        AvroSerde<BalanceReport> serde = AvroSerde.of(BalanceReport.class);
        return KafkaReads.read(kafka.bootstrap(), adminClient(kafka), "read_committed", Topics.BALANCE_REPORTS).stream()
                .map(r -> serde.decode(r.value())).toList();
    }

    private static Map<String, Object> adminClient(ScramKafka kafka) {
        return new HashMap<>(kafka.clientOf(ScramKafka.ADMIN));
    }

    private static void describeCluster(ScramKafka kafka, Map<String, String> client) throws Exception {
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get();
        }
    }

    private static void readOne(ScramKafka kafka, Map<String, String> client, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaReads.consumer(kafka.bootstrap(), new HashMap<>(client),
                "read_committed")) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            consumer.poll(Duration.ofSeconds(15));
        }
    }

    private static void writeOne(ScramKafka kafka, Map<String, String> client, String topic) throws Exception {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, CLUSTER, new byte[] {1})).get();
        }
    }

    /** What Kafka threw at {@code attempt}, unwrapped; fails if it was let through. */
    private static Throwable refusal(ThrowingRunnable attempt) {
        Throwable thrown = assertThrows(Exception.class, attempt::run, "expected a refusal");
        while (thrown instanceof ExecutionException || thrown instanceof org.apache.kafka.common.KafkaException
                && !(thrown instanceof SaslAuthenticationException) && !(thrown instanceof TopicAuthorizationException)
                && thrown.getCause() != null) {
            thrown = thrown.getCause();
        }
        return thrown;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
