package io.memdrs.stream.http;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code GET /metrics} in the Prometheus text format: every Kafka Streams metric through Micrometer's
 * {@link KafkaStreamsMetrics} binder, which includes the app's own sensors (group {@code stream-memdrs-metrics}:
 * {@code kafka_stream_memdrs_round_total}, {@code …_recommendation_total}, {@code …_dead_letter_total} and their
 * rates), plus per-cluster gauges of the clusters this instance owns, refreshed at every scrape:
 * {@code memdrs_cluster_imbalance}, {@code memdrs_cluster_round}, {@code memdrs_cluster_hosts},
 * {@code memdrs_cluster_vms}, {@code memdrs_cluster_vms_unusable}, {@code memdrs_cluster_recommendations_live}.
 */
final class PrometheusEndpoint implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How often the binder looks for metrics registered since (sensors appear when tasks are assigned). */
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "memdrs-metrics-refresh");
        t.setDaemon(true);
        return t;
    });
    private final KafkaStreamsMetrics streamsMetrics;
    private final Supplier<List<ClusterSummary>> localClusters;
    private final List<ClusterGauge> gauges;

    private record ClusterGauge(MultiGauge gauge, ToDoubleFunction<ClusterSummary> value) {}

    PrometheusEndpoint(KafkaStreams streams, Supplier<List<ClusterSummary>> localClusters) {
        this.localClusters = localClusters;
        this.streamsMetrics = new KafkaStreamsMetrics(streams, List.of(), refresher, REFRESH);
        this.streamsMetrics.bindTo(registry);
        this.gauges = List.of(
                gauge("memdrs.cluster.imbalance", "σ of the loads of the active hosts", ClusterSummary::imbalance),
                gauge("memdrs.cluster.round", "number of the last decision round", ClusterSummary::round),
                gauge("memdrs.cluster.hosts", "hosts known to the model", ClusterSummary::hosts),
                gauge("memdrs.cluster.vms", "VMs in the model", ClusterSummary::vms),
                gauge("memdrs.cluster.vms.unusable", "VMs whose balloon statistics cannot be used",
                        ClusterSummary::unusableVms),
                gauge("memdrs.cluster.recommendations.live", "recommendations not yet expired",
                        ClusterSummary::liveRecommendations));
    }

    private ClusterGauge gauge(String name, String description, ToDoubleFunction<ClusterSummary> value) {
        return new ClusterGauge(MultiGauge.builder(name).description(description).register(registry), value);
    }

    ApiResponse scrape() {
        try {
            List<ClusterSummary> clusters = localClusters.get();
            for (ClusterGauge g : gauges) {
                g.gauge().register(clusters.stream().map(c -> MultiGauge.Row.of(Tags.of(Tag.of("cluster", c.cluster())),
                        g.value().applyAsDouble(c))).toList(), true);
            }
        } catch (ApiException e) {
            // Stores not queryable (rebalancing): keep the last values; the Kafka Streams metrics still answer.
        }
        return ApiResponse.text(200, CONTENT_TYPE, registry.scrape());
    }

    @Override
    public void close() {
        streamsMetrics.close();
        refresher.shutdownNow();
        registry.close();
    }
}
