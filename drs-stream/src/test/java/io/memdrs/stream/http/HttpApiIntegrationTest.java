package io.memdrs.stream.http;

import static io.memdrs.stream.http.LiveApp.ALPHA;
import static io.memdrs.stream.http.LiveApp.BETA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.memdrs.engine.SnapshotValidator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every endpoint of the HTTP API against a real stream app on the embedded broker. */
@Tag("integration")
@ExtendWith(LiveAppExtension.class)
class HttpApiIntegrationTest {
    private static ApiClient api;

    @BeforeAll
    static void connect(LiveApp live) {
        api = live.api;
    }

    @Test
    void shouldListEveryClusterWithItsOwnerAndCounts() {
        JsonNode body = api.json("/clusters");
        assertTrue(body.get("complete").asBoolean());
        Map<String, JsonNode> byId = new TreeMap<>();
        body.get("clusters").forEach(c -> byId.put(c.get("cluster").asText(), c));
        assertEquals(List.of(ALPHA, BETA), new ArrayList<>(byId.keySet()));
        JsonNode alpha = byId.get(ALPHA);
        assertEquals(4, alpha.get("hosts").asInt());
        assertEquals(3, alpha.get("activeHosts").asInt());
        assertEquals(10, alpha.get("vms").asInt());
        assertEquals(2, alpha.get("unusableVms").asInt());
        assertTrue(alpha.get("round").asLong() >= 1);
        assertEquals(api.base().substring("http://".length()), alpha.get("instance").asText());
        List<String> local = new ArrayList<>();
        api.json("/clusters?scope=local").get("clusters").forEach(c -> local.add(c.get("cluster").asText()));
        assertEquals(List.of(ALPHA, BETA), local, "one instance owns every cluster");
    }

    @Test
    void shouldShowHostLoadsStatesAndTheHighWatermark() {
        JsonNode body = api.json("/clusters/" + ALPHA + "/hosts");
        assertEquals(0.90, body.get("highWatermark").asDouble(), 1e-9);
        Map<String, JsonNode> hosts = new TreeMap<>();
        body.get("hosts").forEach(h -> hosts.put(h.get("host").asText(), h));
        assertEquals(List.of("h1", "h2", "h3", "h4"), new ArrayList<>(hosts.keySet()));
        assertEquals("UNKNOWN", hosts.get("h4").get("state").asText());
        JsonNode h1 = hosts.get("h1");
        assertEquals("ACTIVE", h1.get("state").asText());
        assertEquals(6, h1.get("vmCount").asInt());
        assertEquals(48.0 / 60, h1.get("load").asDouble(), 1e-9);
        assertEquals(60L * Samples.GIB, h1.get("capacityKiB").asLong());
        assertEquals(1, hosts.get("h2").get("vmsWithUntrustedStats").asInt());
        assertTrue(body.get("imbalance").asDouble() > 0.2, body.toString());
    }

    @Test
    void shouldListVmsWithHealthAndTheHintForUnusableStatistics() {
        JsonNode body = api.json("/clusters/" + ALPHA + "/vms");
        assertEquals(10, body.get("vms").size());
        assertEquals(2, body.get("unusable").asInt());
        assertEquals(1, body.get("health").get("STATS_PERIOD_DISABLED").asInt());
        JsonNode frozen = find(body.get("vms"), "uuid", "b2");
        assertEquals("h2", frozen.get("host").asText());
        assertFalse(frozen.get("usable").asBoolean());
        assertEquals(Samples.FROZEN_HINT, frozen.get("hint").asText());
        assertEquals(2L * Samples.GIB, frozen.get("demandKiB").asLong(), "counted at its allocation");
        assertEquals(8L * Samples.GIB, find(body.get("vms"), "uuid", "a3").get("demandKiB").asLong());
    }

    @Test
    void shouldListLiveRecommendationsWithTheirExplanation() {
        JsonNode recs = api.json("/clusters/" + ALPHA + "/recommendations").get("recommendations");
        assertTrue(recs.size() >= 1);
        long now = System.currentTimeMillis();
        for (JsonNode r : recs) {
            assertTrue(r.get("id").asText().startsWith(ALPHA + ":"), r.toString());
            assertEquals("h1", r.get("sourceHost").asText(), "only h1 is hot or breaks a rule: " + r);
            assertFalse(r.get("explanation").asText().isBlank());
            assertTrue(r.get("expiresAtMillis").asLong() > now - 5_000);
            assertTrue(r.has("trigger") && r.has("rejectedAlternatives") && r.has("policyVersion"));
        }
        assertEquals(0, api.json("/clusters/" + BETA + "/recommendations").get("recommendations").size(),
                "beta is balanced");
    }

    @Test
    void shouldGiveTheLastRoundsWholePlanInWaves() {
        JsonNode plan = api.json("/clusters/" + ALPHA + "/plan");
        assertTrue(plan.get("round").asLong() >= 1, plan.toString());
        int moves = 0;
        int number = 0;
        for (JsonNode wave : plan.get("waves")) {
            assertEquals(++number, wave.get("wave").asInt(), "waves numbered from 1: " + plan);
            long bytes = 0;
            for (JsonNode m : wave.get("moves")) {
                assertEquals("h1", m.get("source").asText(), "only h1 is hot or breaks a rule: " + plan);
                bytes += m.get("sizeKiB").asLong();
                moves++;
            }
            assertEquals(bytes, wave.get("bytesToCopyKiB").asLong(), plan.toString());
        }
        assertEquals(moves, plan.get("moves").asInt(), plan.toString());
        assertEquals(0, api.json("/clusters/" + BETA + "/plan").get("waves").size(), "beta is balanced");
    }

    @Test
    void shouldGiveTheImbalanceOfRecentRounds() throws InterruptedException {
        JsonNode body = api.awaitJson("/clusters/" + ALPHA + "/history", b -> b.get("points").size() >= 2,
                Duration.ofSeconds(20));
        assertEquals(0.10, body.get("targetImbalance").asDouble(), 1e-9);
        JsonNode first = body.get("points").get(0);
        assertTrue(first.get("imbalanceBefore").asDouble() > 0.2, body.toString());
        assertTrue(first.get("moves").asInt() >= 1, body.toString());
        assertTrue(body.get("round").asLong() >= body.get("points").size());
    }

    @Test
    void shouldServeAWhatIfSnapshotOfTheLiveCluster() {
        JsonNode doc = api.json("/clusters/" + ALPHA + "/snapshot");
        assertEquals(ALPHA, doc.get("cluster").asText());
        List<String> hosts = new ArrayList<>();
        doc.get("hosts").forEach(h -> hosts.add(h.get("name").asText()));
        assertEquals(List.of("h1", "h2", "h3"), hosts.stream().sorted().toList(), "the silent h4 is left out");
        assertEquals(10, doc.get("vms").size());
        assertEquals("LOW", find(doc.get("vms"), "uuid", "c2").get("confidence").asText());
        assertEquals(1, doc.get("rules").size());
        assertEquals("ANTI_AFFINITY", doc.get("rules").get(0).get("type").asText());
        assertEquals(List.of(), SnapshotValidator.problems(SnapshotDocumentTest.read(doc)));
    }

    @Test
    void shouldSayHealthyWhileRunningAndShowTheSettings() {
        HttpResponse<String> health = api.get("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"state\":\"RUNNING\""), health.body());
        JsonNode config = api.json("/config");
        assertEquals(0.90, config.get("highWatermark").asDouble(), 1e-9);
        assertEquals(2, config.get("roundIntervalSeconds").asInt());
    }

    @Test
    void shouldExposeStreamsMetricsAndTheAppsOwnSensorsForPrometheus() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.get("/metrics");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            text = response.body();
            if (value(text, "kafka_stream_memdrs_dead_letter_total") >= 1 && value(text, "kafka_stream_memdrs_round_total") >= 1) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(1.0, value(text, "kafka_stream_memdrs_dead_letter_total"), text);
        assertTrue(value(text, "kafka_stream_memdrs_round_total") >= 1, text);
        assertTrue(value(text, "kafka_stream_memdrs_recommendation_total") >= 1, text);
        assertTrue(text.contains("kafka_stream_thread_"), "Kafka Streams' own metrics");
        assertTrue(value(text, "memdrs_cluster_imbalance{cluster=\"alpha\"") > 0.2, text);
        assertEquals(2.0, value(text, "memdrs_cluster_vms_unusable{cluster=\"alpha\""), text);
    }

    @Test
    void shouldExportEveryHostsLoadDemandAndCapacityAndTheClustersTargetsAsTheHostsViewShowsThem() {
        String text = api.get("/metrics").body();
        for (String cluster : List.of(ALPHA, BETA)) {
            JsonNode view = api.json("/clusters/" + cluster + "/hosts");
            for (JsonNode h : view.get("hosts")) {
                String labels = "{cluster=\"" + cluster + "\",host=\"" + h.get("host").asText() + "\",state=\""
                        + h.get("state").asText() + "\"}";
                assertEquals(h.get("load").asDouble(), value(text, "memdrs_host_load" + labels), 1e-9, labels);
                assertEquals(h.get("demandKiB").asDouble() * 1024, value(text, "memdrs_host_demand_bytes" + labels),
                        1e-3, labels);
                assertEquals(h.get("capacityKiB").asDouble() * 1024,
                        value(text, "memdrs_host_capacity_bytes" + labels), 1e-3, labels);
                assertEquals(h.get("vmCount").asDouble(), value(text, "memdrs_host_vms" + labels), labels);
            }
            String c = "{cluster=\"" + cluster + "\"}";
            assertEquals(view.get("imbalance").asDouble(), value(text, "memdrs_cluster_imbalance" + c), 1e-9);
            assertEquals(view.get("highWatermark").asDouble(), value(text, "memdrs_cluster_high_watermark" + c), 1e-9);
            if (view.get("targetImbalance").isNull()) {
                assertFalse(text.contains("memdrs_cluster_target_imbalance" + c), text);
            } else {
                assertEquals(view.get("targetImbalance").asDouble(),
                        value(text, "memdrs_cluster_target_imbalance" + c), 1e-9);
            }
        }
    }

    @Test
    void shouldShowTheMigrationServicesReportsPredictedBesideActualAndExportThePairsCalibration() {
        JsonNode view = api.json("/clusters/" + BETA + "/migrations");
        assertEquals(1, view.get("succeeded").asInt(), view.toString());
        assertEquals(1, view.get("failed").asInt(), view.toString());
        JsonNode failed = view.get("migrations").get(0);
        assertEquals("z2", failed.get("vmUuid").asText(), "newest first: " + view);
        assertEquals("libvirt: Unable to read from monitor", failed.get("error").asText());
        JsonNode done = view.get("migrations").get(1);
        assertEquals(10_000, done.get("predictedDurationMillis").asLong());
        assertEquals(12_500, done.get("durationMillis").asLong());
        assertEquals(1.25, done.get("durationRatio").asDouble(), 1e-9);
        assertEquals(0.75, done.get("bytesRatio").asDouble(), 1e-9);
        JsonNode pair = view.get("pairs").get(0);
        assertEquals(1, view.get("pairs").size(), "only g1→g2 is measured: " + view);
        assertEquals(6_144 / 12.5, pair.get("mibPerSecond").asDouble(), 1e-6);
        assertEquals(0, api.json("/clusters/" + ALPHA + "/migrations").get("migrations").size());

        String text = api.get("/metrics").body();
        String labels = "{cluster=\"" + BETA + "\",source=\"g1\",target=\"g2\"}";
        assertEquals(6_144 / 12.5 * 1048576, value(text, "memdrs_migration_pair_bandwidth_bytes_per_second" + labels),
                1, text);
        assertEquals(6_144 / 16_384.0, value(text, "memdrs_migration_pair_copy_overhead" + labels), 1e-9);
        assertEquals(1, value(text, "memdrs_migration_pair_measured" + labels));
        assertEquals(10.0, value(text, "memdrs_migration_last_predicted_seconds" + labels), 1e-9);
        assertEquals(12.5, value(text, "memdrs_migration_last_actual_seconds" + labels), 1e-9);
        assertFalse(text.contains("source=\"g2\",target=\"g1\""), "a pair with only a failure has no calibration");
    }

    @Test
    void shouldAnswer404ForUnknownClustersViewsAndPaths() throws Exception {
        for (String path : List.of("/clusters/nope/hosts", "/clusters/nope", "/clusters/" + ALPHA + "/bogus",
                "/nope", "/clusters/" + ALPHA + "/hosts/extra", "/dashboard/../pom.xml")) {
            HttpResponse<String> response = api.get(path);
            assertEquals(404, response.statusCode(), path + ": " + response.body());
            assertEquals(404, Json.MAPPER.readTree(response.body()).get("status").asInt(), path);
        }
    }

    @Test
    void shouldRefuseWritesWith405() {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/clusters/" + ALPHA
                + "/recommendations")).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(405, response.statusCode());
    }

    @Test
    void shouldServeTheDashboardPageAndItsFiles() {
        HttpResponse<String> page = api.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("dashboard/dashboard.js"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no CDN");
        assertEquals(200, api.get("/dashboard/dashboard.js").statusCode());
        assertEquals(200, api.get("/dashboard/dashboard.css").statusCode());
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.get(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }

    /** The value of the first sample whose line starts with {@code prefix} (name, or name{labels...), else -1. */
    static double value(String exposition, String prefix) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^ ]* ([^ ]+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
