package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import io.memdrs.demo.FleetGenerator;
import io.memdrs.e2e.reliability.SampleLedger.Discrepancy;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.stream.StreamApp;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away for a minute and comes back on the same data directory while a collector polls a dozen
 * domains every second and the stream app (exactly-once v2) consumes: every sample the collector produced is in
 * the sample topics once and was taken into the app's model exactly once, counted by (VM, sample time) and (host,
 * sample time) from the app's committed output (per VM, the sample count of its committed state).
 */
@Tag("integration")
class BrokerOutageExactlyOnceTest {
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final int VMS = 12;

    @TempDir
    static Path work;

    @Test
    void shouldTakeEverySampleIntoTheModelExactlyOnceAcrossAMinuteWithoutTheBroker() throws Exception {
        long began = System.nanoTime();
        Path node = work.resolve("node.xml");
        Files.writeString(node, FleetGenerator.nodeXml(FleetGenerator.generate(1, VMS, 3).get(0)));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 2, (short) 1);
            }
            String appId = "outage-test";
            Map<String, String> appConfig = StreamApps.config(broker.bootstrapServers(), appId, work.resolve("state"),
                    Map.of("drs.round.interval", "24h",
                            // Commits 5 s apart: when the broker goes, a transaction is open.
                            "streams.commit.interval.ms", "5000"));
            CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of(
                    "collector.cluster", "outage", "collector.host", "node-1",
                    "collector.libvirt.uri", "test://" + node.toAbsolutePath(),
                    "collector.poll.interval", "1s", "collector.metrics.port", "0",
                    "kafka.bootstrap.servers", broker.bootstrapServers())));
            CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry(), "test");
            Set<String> produced = ConcurrentHashMap.newKeySet();
            AtomicInteger polls = new AtomicInteger();
            Set<KafkaStreams.State> appStates = ConcurrentHashMap.newKeySet();
            int pollsDuring;
            long backlogAtEnd;
            long recoverySeconds;

            try (StreamApp app = StreamApps.start(appConfig)) {
                SamplePublisher publisher = new SamplePublisher(config.kafka(), config.vmTopic(), config.hostTopic(),
                        config.outageTolerance(), config.bufferRecords(), metrics);
                try (Collector collector = new Collector(config, metrics, publisher, Clock.systemUTC())) {
                    collector.addPollListener(report -> {
                        report.vms().forEach(vm -> produced.add(SampleLedger.key(vm)));
                        produced.add(SampleLedger.key(report.host()));
                        polls.incrementAndGet();
                    });
                    collector.start();
                    Await.until("5 polls in the model before the outage", Duration.ofSeconds(60),
                            () -> polls.get() >= 5 && SampleLedger.inModel(broker.bootstrapServers(), appId).values().stream()
                                    .mapToInt(Integer::intValue).sum() >= 5 * (VMS + 1));

                    broker.stop();
                    int pollsBefore = polls.get();
                    Await.during(OUTAGE, () -> appStates.add(app.streams().state()));
                    pollsDuring = polls.get() - pollsBefore;
                    backlogAtEnd = publisher.backlog();
                    long restarted = System.nanoTime();
                    broker.start();

                    int pollsAtRestart = polls.get();
                    Await.until("the collector's backlog delivered and 3 more polls", Duration.ofSeconds(90),
                            () -> publisher.backlog() == 0 && polls.get() >= pollsAtRestart + 3);
                    collector.close();
                    Await.until("every produced sample in the model", Duration.ofSeconds(120), () -> {
                        appStates.add(app.streams().state());
                        return SampleLedger.covers(produced, SampleLedger.inModel(broker.bootstrapServers(), appId));
                    });
                    recoverySeconds = Await.secondsSince(restarted);
                }
            }

            Map<String, Integer> inKafka = SampleLedger.inKafka(broker.bootstrapServers());
            Map<String, Integer> inModel = SampleLedger.inModel(broker.bootstrapServers(), appId);
            int deadLetters = KafkaReads.committed(broker.bootstrapServers(), Topics.DEAD_LETTERS).size();
            String changelog = appId + "-vm-state-changelog";
            int aborted = KafkaReads.read(broker.bootstrapServers(), Map.of(), "read_uncommitted", changelog).size()
                    - KafkaReads.committed(broker.bootstrapServers(), changelog).size();
            Discrepancy kafka = Discrepancy.of(produced, inKafka);
            Discrepancy model = Discrepancy.of(SampleLedger.asModelCounts(produced), inModel);
            System.out.printf("broker outage: injected a %d s broker stop; %d polls (%d during the outage, %d samples "
                    + "waiting at its end); app states seen %s%n", OUTAGE.toSeconds(), polls.get(), pollsDuring,
                    backlogAtEnd, appStates);
            System.out.printf("broker outage: counted %d samples produced, %d in Kafka (%s), %d taken into the model "
                    + "(%s), %d VM updates in aborted transactions (applied again), %d dead letters, collector "
                    + "lost %d; model caught up %d s after the restart; %d s%n",
                    produced.size(), inKafka.values().stream().mapToInt(Integer::intValue).sum(), kafka,
                    inModel.values().stream().mapToInt(Integer::intValue).sum(), model, aborted, deadLetters,
                    metrics.samplesLost(), recoverySeconds, Await.secondsSince(began));

            assertTrue(pollsDuring >= OUTAGE.toSeconds() - 5, "the collector kept polling: " + pollsDuring);
            assertTrue(backlogAtEnd >= (long) (pollsDuring - 5) * (VMS + 1), "samples waited: " + backlogAtEnd);
            assertTrue(kafka.none(), "each produced sample in Kafka once: " + kafka);
            assertTrue(model.none(), "each produced sample taken into the model exactly once: " + model);
            assertEquals(produced.size(), inModel.values().stream().mapToInt(Integer::intValue).sum(),
                    "model intake = samples produced");
            assertEquals(0, deadLetters, "no sample refused");
            assertEquals(0, metrics.samplesLost(), "no sample lost by the collector");
        }
    }
}
