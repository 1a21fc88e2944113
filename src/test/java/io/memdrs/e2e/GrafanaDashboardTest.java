package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationJobStats;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.collector.vmseries.VmSeries;
import io.memdrs.config.ConfigSource;
import io.memdrs.e2e.reliability.Await;
import io.memdrs.e2e.reliability.ProjectFiles;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * {@code deploy/grafana/memdrs-dashboard.json} against what the code exports: a collector (test-driver node, per-VM
 * series on) and the stream app run until a round, both scraped; every metric the dashboard's queries name is in
 * one of the two scrapes (the stream app's migration gauges from one reported live migration), and the dashboard is
 * one Grafana can import (unique panel ids, a Prometheus datasource
 * variable, every panel with a query).
 */
@Tag("integration")
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("deploy/grafana/memdrs-dashboard.json");
    /** A metric name in PromQL: memdrs' and Ceilometer's, the only ones the dashboard may use. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:memdrs|ceilometer)_[a-z0-9_]+)\\b");
    private static final Pattern SAMPLE_NAME = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    @TempDir
    Path work;

    @Test
    void shouldOnlyQueryMetricsThatTheCollectorAndTheStreamAppExport() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(ProjectFiles.root().resolve(DASHBOARD)));
        Set<String> queried = new TreeSet<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + panel.path("id"));
            assertFalse(panel.path("targets").isEmpty(), "panel '" + panel.path("title").asText() + "' has a query");
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        List<String> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertTrue(variables.contains("datasource"), "a datasource variable: " + variables);
        for (String must : List.of(VmSeries.CEILOMETER_MEMORY_USAGE, VmSeries.HEALTH, "memdrs_host_load",
                "memdrs_cluster_imbalance", "memdrs_migration_last_predicted_seconds",
                "memdrs_migration_last_actual_seconds")) {
            assertTrue(queried.contains(must), "the dashboard shows " + must + ": " + queried);
        }

        Set<String> exported = new TreeSet<>();
        int httpPort = LoopbackPorts.free();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 1, (short) 1);
            }
            reportMigration(broker.bootstrapServers());
            CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of("collector.cluster", "grafana",
                    "collector.host", "td-1", "collector.libvirt.uri",
                    LabCluster.testDriverNode(work.resolve("td-1.xml")), "collector.metrics.port", "0",
                    "kafka.bootstrap.servers", broker.bootstrapServers())));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            CollectorMetrics metrics = new CollectorMetrics(registry, "test");
            StreamConfig stream = StreamConfig.from(ConfigSource.of(Map.of("stream.application-id", "grafana",
                    "stream.state-dir", work.resolve("state").toString(), "stream.http.port", Integer.toString(httpPort),
                    "kafka.bootstrap.servers", broker.bootstrapServers())));
            DrsSettings drs = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "2s", "drs.hold", "0s")));
            try (Collector collector = new Collector(config, metrics, new SamplePublisher(config.kafka(),
                    config.vmTopic(), config.hostTopic(), config.outageTolerance(), config.bufferRecords(), metrics),
                    Clock.systemUTC());
                 StreamApp app = new StreamApp(stream, drs)) {
                VmSeries.following(collector, registry.getPrometheusRegistry());
                app.start();
                assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
                String metricsUrl = "http://127.0.0.1:" + httpPort + "/metrics";
                HttpClient http = HttpClient.newHttpClient();
                String[] streamText = {""};
                Await.until("a round of the stream app on /metrics", Duration.ofSeconds(60), () -> {
                    collector.pollOnce();
                    try {
                        streamText[0] = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                    } catch (Exception e) {
                        return false;
                    }
                    return streamText[0].contains("memdrs_cluster_round{cluster=\"grafana\"")
                            && streamText[0].contains("memdrs_host_load{")
                            && streamText[0].contains("memdrs_migration_last_actual_seconds{");
                });
                exported.addAll(names(registry.scrape()));
                exported.addAll(names(streamText[0]));
            }
        }
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "queried by the dashboard but exported by neither the collector nor the"
                + " stream app (exported: " + exported + ")");
    }

    /** A live migration td-0 → td-1 as the migration service reports it, with libvirt's job statistics. */
    private static void reportMigration(String bootstrap) throws Exception {
        long now = System.currentTimeMillis();
        MigrationEvent event = MigrationEvent.newBuilder().setRecommendationId("grafana:1:1").setCluster("grafana")
                .setVmUuid("gone").setVmName("gone").setSourceHost("td-0").setTargetHost("td-1")
                .setStatus(MigrationStatus.SUCCEEDED).setReason(null).setDryRun(false).setAtMillis(now)
                .setStartedAtMillis(now - 4_000).setPredictedBytes(1L << 30).setPredictedDurationMillis(3_000)
                .setBandwidthMiBps(null).setExecutor("grafana-test")
                .setJob(MigrationJobStats.newBuilder().setTimeElapsedMillis(4_000L).setDataTransferredBytes(1L << 29)
                        .setMemoryTotalBytes(1L << 30).build())
                .build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.MIGRATION_EVENTS, "grafana",
                    AvroSerde.of(MigrationEvent.class).encode(event))).get();
        }
    }

    /** The metric names of a scrape, with a histogram's or summary's base name beside its _sum and _count. */
    private static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE_NAME.matcher(exposition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
