package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationJobStats;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.Collector;
import io.memdrs.config.ConfigSource;
import io.memdrs.executor.ExecutorSettings;
import io.memdrs.executor.libvirt.LibvirtMigrator;
import io.memdrs.executor.service.MigrationService;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on real live migrations: the lab's libvirtd (host "lab-a") and a second libvirtd on this machine
 * (host "lab-b": its own mount namespace, host UUID and TCP listener), a collector each, the embedded broker, the
 * stream app and the executor. An operator's must rule pins the lab guest memdrs-lab-migrant to one host after the
 * other; each time the DRS recommends the move, the executor live-migrates the running guest with libvirt and
 * reports libvirt's job statistics, and the DRS's next prediction rests on them. The last move is cut off midway by
 * stopping the target daemon: the guest stays on its source, running, and the event says FAILED with libvirt's error.
 */
@Tag("integration")
class LiveMigrationEndToEndTest {
    private static final String CLUSTER = "live";
    private static final String A = "lab-a";
    private static final String B = "lab-b";
    private static final String PEER = "peer-b";
    private static final AvroSerde<MigrationEvent> EVENTS = AvroSerde.of(MigrationEvent.class);
    private static final AvroSerde<MigrationRecommendation> RECS = AvroSerde.of(MigrationRecommendation.class);

    @TempDir
    Path work;

    @Test
    void shouldLiveMigrateARealGuestReportWhatItCostAndPredictTheNextMoveFromIt() throws Exception {
        Lab lab = Lab.readyOrSkip();
        int port = LoopbackPorts.free();
        String uriB = Lab.peerUri(port);
        try {
            Lab.Run peer = lab.peer("up", PEER, port);
            assertTrue(peer.succeeded(), peer::describe);
            lab.migrant("remove", uriB);
            Lab.Run migrant = lab.migrant("start", Lab.URI);
            assertTrue(migrant.succeeded(), migrant::describe);
            awaitLiveStats(Lab.URI);
            runTheLoop(lab, port, uriB);
        } finally {
            cleanUp(lab, port, uriB);
        }
    }

    private void runTheLoop(Lab lab, int port, String uriB) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 2, (short) 1);
            }
            String bootstrap = broker.bootstrapServers();
            StreamConfig streamConfig = StreamConfig.from(ConfigSource.of(Map.of("stream.application-id", "live",
                    "stream.state-dir", work.resolve("state").toString(), "stream.http.port",
                    Integer.toString(LoopbackPorts.free()),
                    "kafka.bootstrap.servers", bootstrap)));
            DrsSettings drs = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "2s", "drs.hold", "0s",
                    "drs.demand.half-life", "1s", "drs.demand.peak-window", "0s")));
            Map<String, String> executor = new HashMap<>(Map.of("executor.dry-run", "false",
                    "executor.group-id", "live-executor", "executor.clusters", CLUSTER, "executor.libvirt.uri." + A, Lab.URI,
                    "executor.libvirt.uri." + B, uriB, "executor.job-deadline", "2m", "kafka.bootstrap.servers", bootstrap));
            try (StreamApp app = new StreamApp(streamConfig, drs);
                 Collector onA = LabCluster.collector(broker, CLUSTER, A, Lab.URI, Duration.ofSeconds(1), 0,
                         Map.of("collector.dirty-rate.interval", "2s"));
                 Collector onB = LabCluster.collector(broker, CLUSTER, B, uriB, Duration.ofSeconds(1), 0);
                 KafkaProducer<String, byte[]> control = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                         new ByteArraySerializer())) {
                app.start();
                assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
                onA.start();
                onB.start();

                // 1. lab-a → lab-b, at full speed
                MigrationEvent first;
                try (RunningExecutor ex = RunningExecutor.start(executor)) {
                    pin(control, B);
                    first = awaitFinished(bootstrap, A, B, 0);
                    assertEquals(MigrationStatus.SUCCEEDED, first.getStatus(), first::toString);
                    assertRunningOn(uriB);
                    assertFalse(Virsh.run("-c", Lab.URI, "list", "--all", "--name").contains(Lab.MIGRANT),
                            "undefined on the source");
                    MigrationJobStats job = first.getJob();
                    assertNotNull(job, "libvirt's job statistics");
                    assertTrue(job.getDataTransferredBytes() > 1024 * 1024, "bytes sent: " + job);
                    assertTrue(job.getTimeElapsedMillis() > 0 && job.getMemoryTotalBytes() >= 120L * 1024 * 1024, job::toString);
                    assertNotNull(job.getDowntimeMillis(), job::toString);
                    awaitSamplesFrom(bootstrap, B, first.getAtMillis());

                    // 2. lab-b → lab-a: no migration measured into lab-a, the cluster's one is used
                    pin(control, A);
                    MigrationEvent second = awaitFinished(bootstrap, B, A, first.getAtMillis());
                    assertEquals(MigrationStatus.SUCCEEDED, second.getStatus(), second::toString);
                    assertRunningOn(Lab.URI);
                    MigrationRecommendation back = recommendation(bootstrap, second.getRecommendationId());
                    assertTrue(back.getPredictionBasis().startsWith("from 1 earlier migration in the cluster"),
                            back.getPredictionBasis());
                    awaitSamplesFrom(bootstrap, A, second.getAtMillis());
                    List<VmMemorySample> measured = Records.readUntil(bootstrap, Topics.VM_SAMPLES,
                            AvroSerde.of(VmMemorySample.class), s -> s.stream().anyMatch(v -> v.getHost().equals(A)
                                    && v.getDirtyRateBytesPerSecond() != null), Duration.ofSeconds(30));
                    VmMemorySample withRate = measured.stream().filter(v -> v.getHost().equals(A)
                            && v.getDirtyRateBytesPerSecond() != null).findFirst().orElseThrow(() -> new AssertionError(
                            "no dirty rate from lab-a's collector (collector.dirty-rate.interval 2s)"));
                    assertTrue(withRate.getDirtyRateBytesPerSecond() >= 0, withRate::toString);
                    assertTrue(measured.stream().noneMatch(v -> v.getHost().equals(B) && v.getDirtyRateBytesPerSecond() != null),
                            "lab-b's collector does not measure");
                }

                // 3. lab-a → lab-b again, at 1 MiB/s, and the target daemon stopped midway
                executor.put("executor.bandwidth-mibps", "1");
                try (RunningExecutor ex = RunningExecutor.start(executor)) {
                    long before = System.currentTimeMillis();
                    pin(control, B);
                    MigrationEvent started = awaitEvent(bootstrap, e -> e.getStatus() == MigrationStatus.STARTED
                            && e.getSourceHost().equals(A) && e.getAtMillis() >= before, "STARTED lab-a → lab-b");
                    MigrationRecommendation again = recommendation(bootstrap, started.getRecommendationId());
                    assertTrue(again.getPredictionBasis().startsWith("from 1 earlier migration lab-a→lab-b"),
                            again.getPredictionBasis());
                    long size = first.getJob().getMemoryTotalBytes();
                    double overhead = (double) first.getJob().getDataTransferredBytes() / size;
                    assertEquals(again.getSizeKiB() * 1024.0 * overhead, again.getPredictedBytes(),
                            again.getPredictedBytes() * 0.01, "the VM's size × the copy overhead measured lab-a→lab-b");
                    awaitJobCopying();
                    Lab.Run stop = lab.peer("stop", PEER, port);
                    assertTrue(stop.succeeded(), stop::describe);
                    MigrationEvent failed = awaitEvent(bootstrap, e -> e.getRecommendationId()
                            .equals(started.getRecommendationId()) && e.getStatus() != MigrationStatus.STARTED,
                            "the end of " + started.getRecommendationId());
                    assertEquals(MigrationStatus.FAILED, failed.getStatus(), failed::toString);
                    assertTrue(failed.getReason().contains("libvirt: "), failed.getReason());
                    assertRunningOn(Lab.URI);
                    awaitSamplesFrom(bootstrap, A, failed.getAtMillis());
                    Thread.sleep(3 * 2_000); // three more rounds
                    assertTrue(events(bootstrap).stream().noneMatch(e -> e.getStatus() == MigrationStatus.STARTED
                            && e.getAtMillis() > failed.getAtMillis()), "the failed move is not tried again into lab-b");
                    System.out.printf("live migration: %s; back %s; then predicted: %s; cut off after %d ms: %s%n",
                            first.getJob(), second(bootstrap), again.getExplanation(),
                            failed.getAtMillis() - started.getAtMillis(), failed.getReason());
                }
                assertTheDashboardShowsPredictedBesideActual(app, first);
                unpin(control);
                List<MigrationEvent> all = events(bootstrap);
                Map<String, Long> startsPerRecommendation = all.stream().filter(e -> e.getStatus() == MigrationStatus.STARTED)
                        .collect(Collectors.groupingBy(MigrationEvent::getRecommendationId, Collectors.counting()));
                assertTrue(startsPerRecommendation.values().stream().allMatch(n -> n == 1),
                        "no recommendation was tried twice: " + startsPerRecommendation);
            }
        }
    }

    /**
     * The stream app's migrations view (what its dashboard draws): the three migrations newest first, each with the
     * DRS's prediction beside libvirt's figures, and lab-a→lab-b calibrated from the first.
     */
    private static void assertTheDashboardShowsPredictedBesideActual(StreamApp app, MigrationEvent first)
            throws Exception {
        String url = "http://127.0.0.1:" + app.httpAddress().orElseThrow().getPort() + "/clusters/" + CLUSTER
                + "/migrations";
        JsonNode view = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(2, view.get("succeeded").asInt(), view.toString());
        assertEquals(1, view.get("failed").asInt(), view.toString());
        JsonNode rows = view.get("migrations");
        assertEquals("FAILED", rows.get(0).get("status").asText(), view.toString());
        JsonNode oldest = rows.get(2);
        assertEquals(first.getRecommendationId(), oldest.get("recommendationId").asText());
        assertEquals(first.getPredictedDurationMillis(), oldest.get("predictedDurationMillis").asLong());
        assertEquals(first.getJob().getTimeElapsedMillis(), oldest.get("durationMillis").asLong());
        assertEquals(first.getJob().getDataTransferredBytes(), oldest.get("transferredBytes").asLong());
        assertEquals((double) first.getJob().getTimeElapsedMillis() / first.getPredictedDurationMillis(),
                oldest.get("durationRatio").asDouble(), 1e-9);
        JsonNode ab = null;
        for (JsonNode pair : view.get("pairs")) {
            if (pair.get("source").asText().equals(A) && pair.get("target").asText().equals(B)) {
                ab = pair;
            }
        }
        assertNotNull(ab, "lab-a→lab-b is calibrated: " + view);
        assertEquals(1, ab.get("measured").asInt(), "the cut-off migration measured nothing: " + ab);
        for (JsonNode m : rows) {
            System.out.printf("migration %s %s→%s %s: predicted %d ms / %d bytes, actual %s ms / %s bytes%n",
                    m.get("vmName").asText(), m.get("source").asText(), m.get("target").asText(),
                    m.get("status").asText(), m.get("predictedDurationMillis").asLong(),
                    m.get("predictedBytes").asLong(), m.get("durationMillis"), m.get("transferredBytes"));
        }
    }

    /** The executor on a thread of its own, as {@code memdrs executor run} runs it. */
    private record RunningExecutor(MigrationService service, Thread thread) implements AutoCloseable {
        static RunningExecutor start(Map<String, String> config) {
            ExecutorSettings settings = ExecutorSettings.from(ConfigSource.of(config));
            MigrationService service = new MigrationService(settings, new LibvirtMigrator(settings, Clock.systemUTC()),
                    Clock.systemUTC());
            Thread thread = new Thread(service::run, "executor");
            thread.start();
            return new RunningExecutor(service, thread);
        }

        @Override
        public void close() throws InterruptedException {
            service.close();
            thread.join(60_000);
        }
    }

    private static void pin(KafkaProducer<String, byte[]> control, String host) throws Exception {
        send(control, ControlEvent.newBuilder().setCluster(CLUSTER).setRuleId("pin-migrant")
                .setType(ControlType.VM_HOST_AFFINITY).setActive(true).setHosts(List.of(host))
                .setVms(List.of(Lab.MIGRANT_UUID)).setMust(true).setReason("test: run it on " + host)
                .setCreatedAtMillis(System.currentTimeMillis()).build());
    }

    private static void unpin(KafkaProducer<String, byte[]> control) throws Exception {
        send(control, ControlEvent.newBuilder().setCluster(CLUSTER).setRuleId("pin-migrant")
                .setType(ControlType.VM_HOST_AFFINITY).setActive(false).setHosts(List.of()).setVms(List.of())
                .setMust(true).setReason(null).setCreatedAtMillis(System.currentTimeMillis()).build());
    }

    private static void send(KafkaProducer<String, byte[]> control, ControlEvent event) throws Exception {
        control.send(new ProducerRecord<>(Topics.CONTROL, CLUSTER, AvroSerde.of(ControlEvent.class).encode(event))).get();
    }

    private static List<MigrationEvent> events(String bootstrap) {
        return Records.readUntil(bootstrap, Topics.MIGRATION_EVENTS, EVENTS, seen -> false, Duration.ofSeconds(3));
    }

    private static MigrationEvent awaitEvent(String bootstrap, Predicate<MigrationEvent> which, String what) {
        List<MigrationEvent> seen = Records.readUntil(bootstrap, Topics.MIGRATION_EVENTS, EVENTS,
                s -> s.stream().anyMatch(which), Duration.ofSeconds(150));
        return seen.stream().filter(which).findFirst()
                .orElseThrow(() -> new AssertionError("no migration event " + what + " within 150 s: " + seen));
    }

    private static MigrationEvent awaitFinished(String bootstrap, String source, String target, long after) {
        return awaitEvent(bootstrap, e -> e.getSourceHost().equals(source) && e.getTargetHost().equals(target)
                && e.getAtMillis() > after && (e.getStatus() == MigrationStatus.SUCCEEDED
                || e.getStatus() == MigrationStatus.FAILED), "finished " + source + " → " + target);
    }

    private static String second(String bootstrap) {
        return events(bootstrap).stream().filter(e -> e.getStatus() == MigrationStatus.SUCCEEDED
                && e.getSourceHost().equals(B)).map(e -> String.valueOf(e.getJob())).findFirst().orElse("?");
    }

    private static MigrationRecommendation recommendation(String bootstrap, String id) {
        List<MigrationRecommendation> recs = Records.readUntil(bootstrap, Topics.RECOMMENDATIONS, RECS,
                s -> s.stream().anyMatch(r -> r.getId().equals(id)), Duration.ofSeconds(30));
        return recs.stream().filter(r -> r.getId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no recommendation " + id));
    }

    /** Two usable samples of the guest from {@code host} polled after {@code afterMillis}, last_update advancing. */
    private static void awaitSamplesFrom(String bootstrap, String host, long afterMillis) {
        Predicate<VmMemorySample> fresh = s -> s.getVmUuid().equals(Lab.MIGRANT_UUID) && s.getHost().equals(host)
                && s.getSampleTimeMillis() > afterMillis && s.getHealth() == StatsHealth.OK;
        List<VmMemorySample> seen = Records.readUntil(bootstrap, Topics.VM_SAMPLES, AvroSerde.of(VmMemorySample.class),
                s -> s.stream().filter(fresh).map(VmMemorySample::getLastUpdateEpochSeconds).distinct().count() >= 2,
                Duration.ofSeconds(60));
        List<VmMemorySample> mine = seen.stream().filter(fresh).toList();
        assertTrue(mine.stream().map(VmMemorySample::getLastUpdateEpochSeconds).distinct().count() >= 2,
                "the guest's balloon statistics go on from " + host + ": " + mine);
    }

    private static void assertRunningOn(String uri) {
        assertEquals("running", Virsh.run("-c", uri, "domstate", Lab.MIGRANT).strip(), Lab.MIGRANT + " on " + uri);
    }

    private static void awaitLiveStats(String uri) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Map<String, Long> stats = Map.of();
        while (System.nanoTime() < deadline) {
            stats = Virsh.dommemstat(uri, Lab.MIGRANT);
            if (stats.containsKey("usable") && stats.getOrDefault("last_update", 0L) > 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(Lab.MIGRANT + " reports no balloon statistics within 120 s: " + stats);
    }

    /** Until the source's job has sent guest memory: the migration is under way. */
    private static void awaitJobCopying() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String info = "";
        while (System.nanoTime() < deadline) {
            info = Virsh.run("-c", Lab.URI, "domjobinfo", Lab.MIGRANT);
            if (info.contains("Unbounded") && info.matches("(?s).*Memory processed:\\s+[1-9].*")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no migration job copying memory within 60 s: " + info);
    }

    private static void cleanUp(Lab lab, int port, String uriB) {
        lab.migrant("remove", Lab.URI);
        // A peer killed midway leaves the incoming QEMU behind: a new daemon takes it over and ends it, then down.
        lab.peer("up", PEER, port);
        lab.migrant("remove", uriB);
        Lab.Run down = lab.peer("down", PEER, port);
        System.out.println("peer down: " + (down.succeeded() ? "ok" : down.describe()));
    }
}
