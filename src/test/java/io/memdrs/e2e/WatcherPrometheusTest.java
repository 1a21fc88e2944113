package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.memdrs.e2e.reliability.Await;
import io.memdrs.e2e.reliability.JvmProcess;
import io.memdrs.e2e.reliability.ProjectFiles;
import io.memdrs.e2e.reliability.PropertiesFile;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.topics.TopicPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenStack Watcher's view of the lab through a real Prometheus (Debian's package): a collector ({@code memdrs
 * collector run}, its own JVM, polling the lab's libvirtd every second) scraped every second, with the {@code fqdn}
 * target label Watcher maps hosts by. The test asks Prometheus exactly what Watcher's Prometheus datasource asks
 * for {@code instance_ram_usage}, {@code avg_over_time(ceilometer_memory_usage{resource='<uuid>'}[300s])}, and
 * compares it with {@code virsh dommemstat}, read all along beside the collector: every sample Prometheus holds
 * is available − unused of the very guest report virsh saw with the same {@code last_update}, and Watcher's average
 * is their average, each within 1 MiB. The guest without a balloon driver has no series (and says why); the guest
 * without a stats period has none until {@code memdrs collector enable-stats} gives it one.
 */
@Tag("integration")
class WatcherPrometheusTest {
    private static final String HOST = "lab-compute-1";
    private static final String OK_UUID = "6d656d64-7273-4c61-8200-000000000001";
    private static final String FROZEN_UUID = "6d656d64-7273-4c61-8200-000000000002";
    private static final String NO_DRIVER_UUID = "6d656d64-7273-4c61-8200-000000000003";
    private static final double MIB = 1.0;

    @TempDir
    Path work;

    @Test
    void shouldAnswerWatchersMemoryQueryWithWhatVirshReportsAndNothingForAGuestWhoseStatsCannotBeUsed()
            throws Exception {
        Lab.readyOrSkip();
        PrometheusServer.installedOrSkip();
        int metricsPort = LoopbackPorts.free();
        try (VirshWitness virsh = VirshWitness.start(Lab.OK);
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 1, (short) 1);
            }
            Await.until("virsh to read the guest once", Duration.ofSeconds(30), () -> !virsh.reports().isEmpty());
            Path config = PropertiesFile.write(work.resolve("collector.properties"), Map.of(
                    "collector.cluster", "lab-watcher", "collector.host", HOST, "collector.libvirt.uri", Lab.URI,
                    "collector.poll.interval", "1s", "collector.metrics.port", Integer.toString(metricsPort),
                    "kafka.bootstrap.servers", broker.bootstrapServers()));
            try (JvmProcess collector = JvmProcess.start("collector", ProjectFiles.collectorJar(), List.of(),
                    work.resolve("collector.log"), "run", "--config", config.toString());
                 PrometheusServer prometheus = PrometheusServer.start(work.resolve("prometheus"),
                         Map.of("127.0.0.1:" + metricsPort, Map.of("fqdn", HOST)), Duration.ofSeconds(1))) {
                String usage = "ceilometer_memory_usage{resource='" + OK_UUID + "'}";
                Await.until("Prometheus to hold 20 samples of " + usage, Duration.ofSeconds(120),
                        () -> prometheus.query("count_over_time(" + usage + "[300s])", now()).path(0)
                                .path("value").path(1).asDouble(0) >= 20);
                double at = now();

                JsonNode watcher = prometheus.query("avg_over_time(" + usage + "[300s])", at);
                List<PrometheusServer.Sample> values = prometheus.samples(usage, Duration.ofSeconds(300), at);
                List<PrometheusServer.Sample> lastUpdates = prometheus.samples(
                        "memdrs_vm_stats_last_update_seconds{resource='" + OK_UUID + "'}", Duration.ofSeconds(300), at);
                Map<Double, Long> lastUpdateAt = new HashMap<>();
                lastUpdates.forEach(s -> lastUpdateAt.put(s.time(), (long) s.value()));
                Map<Long, Long> reports = virsh.reports();
                List<Double> witnessed = new ArrayList<>();
                for (PrometheusServer.Sample s : values) {
                    Long lastUpdate = lastUpdateAt.get(s.time());
                    assertTrue(lastUpdate != null, "the same scrape has the guest's last_update: " + s);
                    Long usedKiB = reports.get(lastUpdate);
                    assertTrue(usedKiB != null, "virsh saw the guest report of last_update " + lastUpdate
                            + " (it saw " + reports.keySet() + ")");
                    assertEquals(usedKiB / 1024.0, s.value(), MIB, "sample at " + s.time() + " (last_update "
                            + lastUpdate + ") against virsh dommemstat available - unused");
                    witnessed.add(usedKiB / 1024.0);
                }
                double virshMean = witnessed.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                assertEquals(1, watcher.size(), watcher::toString);
                double watcherMb = Double.parseDouble(watcher.get(0).path("value").get(1).asText());
                System.out.printf("Watcher's instance_ram_usage of %s: %.3f MB over %d samples; virsh's reports of "
                                + "the same moments average %.3f MB (%d distinct values, %.1f..%.1f MB)%n", Lab.OK,
                        watcherMb, values.size(), virshMean, witnessed.stream().distinct().count(),
                        witnessed.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                        witnessed.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
                assertEquals(virshMean, watcherMb, MIB, "Watcher's query against virsh over the same reports");
                assertTrue(witnessed.stream().distinct().count() > 1,
                        "the guest's churn moved its usage during the window: the series follows it");
                assertTrue(virsh.conflicts().isEmpty(), "one value per guest report: " + virsh.conflicts());
                JsonNode labels = watcher.get(0).path("metric");
                assertEquals(Lab.OK, labels.path("resource_name").asText(), labels::toString);
                assertEquals(HOST, labels.path("host").asText(), labels::toString);
                assertEquals(HOST, labels.path("fqdn").asText(), "the target label Watcher maps hosts by");
                JsonNode target = prometheus.targets().get(0);
                assertEquals("up", target.path("health").asText(), target::toString);
                assertEquals(HOST, target.path("labels").path("fqdn").asText(), target::toString);

                assertNoUsage(prometheus, NO_DRIVER_UUID, "NEVER_REPORTED", at);
                assertNoUsage(prometheus, FROZEN_UUID, "STATS_PERIOD_DISABLED", at);

                CollectorCli.Result enabled = CollectorCli.run("enable-stats", "--period", "2", "--domain",
                        Lab.FROZEN);
                try {
                    assertEquals(0, enabled.exitCode(), enabled::toString);
                    String frozen = "ceilometer_memory_usage{resource='" + FROZEN_UUID + "'}";
                    Await.until(Lab.FROZEN + " to gain its series after enable-stats", Duration.ofSeconds(30),
                            () -> prometheus.query(frozen, now()).size() == 1);
                    double later = now();
                    assertEquals("OK", prometheus.query("memdrs_vm_stats_health{resource='" + FROZEN_UUID + "'}",
                            later).path(0).path("metric").path("health").asText());
                    JsonNode average = prometheus.query("avg_over_time(" + frozen + "[300s])", later);
                    assertEquals(1, average.size(), "Watcher's query answers for " + Lab.FROZEN + " now");
                    assertTrue(Double.parseDouble(average.get(0).path("value").get(1).asText()) > 0);
                } finally {
                    Virsh.run("-c", Lab.URI, "dommemstat", Lab.FROZEN, "--period", "0", "--live");
                }
                assertTrue(collector.isAlive(), collector::output);
            }
        }
    }

    private static void assertNoUsage(PrometheusServer prometheus, String uuid, String health, double at) {
        JsonNode usage = prometheus.query("ceilometer_memory_usage{resource='" + uuid + "'}[300s]", at);
        assertEquals(0, usage.size(), () -> uuid + " has no usage for Watcher, not even 0: " + usage);
        JsonNode series = prometheus.query("memdrs_vm_stats_health{resource='" + uuid + "'}", at);
        assertEquals(1, series.size(), series::toString);
        assertEquals(health, series.get(0).path("metric").path("health").asText(), series::toString);
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /**
     * {@code virsh dommemstat} of one guest every 300 ms on a thread of its own: available − unused (KiB) by the
     * guest report's {@code last_update}, the test's independent witness of what libvirt said.
     */
    private static final class VirshWitness implements AutoCloseable {
        private final Map<Long, Long> usedByLastUpdate = new ConcurrentHashMap<>();
        private final List<String> conflicts = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final Thread thread;

        private VirshWitness(String domain) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        Map<String, Long> stats = Virsh.dommemstat(Lab.URI, domain);
                        Long lastUpdate = stats.get("last_update");
                        if (lastUpdate != null && lastUpdate > 0 && stats.containsKey("available")
                                && stats.containsKey("unused")) {
                            long used = stats.get("available") - stats.get("unused");
                            Long before = usedByLastUpdate.putIfAbsent(lastUpdate, used);
                            if (before != null && before != used) {
                                conflicts.add("last_update " + lastUpdate + ": " + before + " then " + used);
                            }
                        }
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        failure.set(e);
                        return;
                    }
                }
            }, "virsh-witness");
            thread.setDaemon(true);
        }

        static VirshWitness start(String domain) {
            VirshWitness witness = new VirshWitness(domain);
            witness.thread.start();
            return witness;
        }

        Map<Long, Long> reports() {
            if (failure.get() != null) {
                throw new AssertionError("virsh dommemstat failed: " + failure.get().getMessage(), failure.get());
            }
            return Map.copyOf(usedByLastUpdate);
        }

        List<String> conflicts() {
            return List.copyOf(conflicts);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
