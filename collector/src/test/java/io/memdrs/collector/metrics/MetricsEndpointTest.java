package io.memdrs.collector.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.Collector;
import io.memdrs.collector.KafkaAway;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.libvirt.TestDriverNode;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.collector.vmseries.Exposition;
import io.memdrs.collector.vmseries.VmSeries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Prometheus scrapes from a collector after a poll of a test-driver host (Kafka away: nothing blocks). */
@Tag("integration")
class MetricsEndpointTest {
    @TempDir
    Path dir;

    @Test
    void shouldServePollDurationVmHealthAndDeliveryMetricsAfterAPoll() throws Exception {
        String uri = TestDriverNode.write(dir.resolve("node.xml"), 22);
        CollectorConfig config = KafkaAway.config(Map.of("collector.cluster", "az1", "collector.host", "node-1",
                "collector.libvirt.uri", uri));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CollectorMetrics metrics = new CollectorMetrics(registry, "1.2.3");
        SamplePublisher publisher = KafkaAway.publisher(config, metrics);
        try (MetricsServer server = new MetricsServer(registry, "127.0.0.1", 0);
             Collector collector = new Collector(config, metrics, publisher, Clock.systemUTC())) {
            VmSeries.following(collector, registry.getPrometheusRegistry());
            assertTrue(collector.pollOnce().isPresent());

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();

            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertEquals(1.0, value(body, "memdrs_collector_poll_duration_seconds_count"), body);
            assertTrue(value(body, "memdrs_collector_poll_duration_seconds_sum") > 0, body);
            // 22 domains: 3 without a stats period (7, 14, 21), 2 without a balloon (11, 22), 17 OK.
            assertEquals(17.0, value(body, "memdrs_collector_vms{health=\"OK\"}"), body);
            assertEquals(3.0, value(body, "memdrs_collector_vms{health=\"STATS_PERIOD_DISABLED\"}"), body);
            assertEquals(2.0, value(body, "memdrs_collector_vms{health=\"NO_BALLOON\"}"), body);
            assertEquals(1.0, value(body, "memdrs_collector_libvirt_up"), body);
            assertTrue(value(body, "memdrs_collector_last_successful_poll_seconds") > 1.7e9, body);
            assertEquals(1.0, value(body, "memdrs_collector_build_info{version=\"1.2.3\"}"), body);
            assertEquals(200_000.0, value(body, "memdrs_collector_buffer_capacity"), body);
            assertTrue(body.contains("memdrs_collector_buffer_records"), body);
            assertTrue(body.contains("memdrs_collector_inflight_records"), body);
            Exposition perVm = Exposition.parse(body);
            assertEquals(22, perVm.named(VmSeries.HEALTH).size(), body);
            assertEquals(17, perVm.named(VmSeries.CEILOMETER_MEMORY_USAGE).size(), "only the 17 OK VMs: " + body);
            Exposition.Series nova = perVm.of(VmSeries.CEILOMETER_MEMORY_USAGE, TestDriverNode.uuid(3)).get(0);
            assertEquals(Map.of("resource", TestDriverNode.uuid(3), "resource_name", TestDriverNode.displayName(3),
                    "project", TestDriverNode.projectId(), "user", TestDriverNode.userId(), "host", "node-1"),
                    nova.labels(), "nova's metadata of the test-driver domain");
            assertEquals(TestDriverNode.name(1),
                    perVm.of(VmSeries.CEILOMETER_MEMORY_USAGE, TestDriverNode.uuid(1)).get(0).label("resource_name"));
            assertTrue(perVm.of(VmSeries.CEILOMETER_MEMORY_USAGE, TestDriverNode.uuid(7)).isEmpty(),
                    "no stats period: frozen values, no usage for Watcher");
            assertEquals("STATS_PERIOD_DISABLED",
                    perVm.of(VmSeries.HEALTH, TestDriverNode.uuid(7)).get(0).label("health"));
            publisher.close(Duration.ZERO);
            String after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(23.0, value(after, "memdrs_collector_samples_lost_total{reason=\"shutdown\"}"),
                    "22 VM samples and the host sample, not delivered, counted: " + after);
        }
    }

    /** The value of the sample line that starts with {@code series} (name and labels as Prometheus prints them). */
    private static double value(String body, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no sample " + series + " in\n" + body);
        }
        return Double.parseDouble(m.group(1));
    }
}
