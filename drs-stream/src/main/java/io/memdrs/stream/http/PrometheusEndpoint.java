package io.memdrs.stream.http;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code GET /metrics} in the Prometheus text format: every Kafka Streams metric through Micrometer's
 * {@link KafkaStreamsMetrics} binder, which includes the app's own sensors (group {@code stream-memdrs-metrics}:
 * {@code kafka_stream_memdrs_round_total}, {@code …_recommendation_total}, {@code …_dead_letter_total} and their
 * rates), plus per-cluster gauges of the clusters this instance owns, refreshed at every scrape:
 * {@code memdrs_cluster_imbalance}, {@code memdrs_cluster_round}, {@code memdrs_cluster_hosts},
 * {@code memdrs_cluster_vms}, {@code memdrs_cluster_vms_unusable}, {@code memdrs_cluster_recommendations_live},
 * {@code memdrs_cluster_target_imbalance} (the migration level's target σ; absent at level 1) and
 * {@code memdrs_cluster_high_watermark}; and per host of those clusters ({@code cluster}, {@code host},
 * {@code state} = ACTIVE, UNKNOWN or MAINTENANCE): {@code memdrs_host_load} (Σ demand / capacity, a fraction),
 * {@code memdrs_host_demand_bytes}, {@code memdrs_host_capacity_bytes} (memory − reserved) and
 * {@code memdrs_host_vms} — what the DRS sees, for a dashboard beside the collectors' per-VM series; and per host
 * pair with a measured live migration ({@code cluster}, {@code source}, {@code target}), the calibration the next
 * prediction uses and the newest measured migration's predicted beside its actual figures:
 * {@code memdrs_migration_pair_bandwidth_bytes_per_second}, {@code memdrs_migration_pair_copy_overhead} (bytes sent per
 * byte of VM memory), {@code memdrs_migration_pair_measured} (migrations the figures come from),
 * {@code memdrs_migration_last_predicted_seconds} and {@code memdrs_migration_last_actual_seconds}.
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
    private final Supplier<List<ClusterEndpoints.ClusterView>> localClusters;
    private final List<ClusterGauge> gauges;
    private final List<RowGauge<HostsView.Row>> hostGauges;
    private final MultiGauge targetImbalance;
    private final MultiGauge highWatermark;

    private record ClusterGauge(MultiGauge gauge, ToDoubleFunction<ClusterSummary> value) {}

    /** A gauge with one row per item of a cluster (a host, a host pair). */
    private record RowGauge<T>(MultiGauge gauge, ToDoubleFunction<T> value) {}

    private final List<RowGauge<MigrationsView.Pair>> pairGauges;

    PrometheusEndpoint(KafkaStreams streams, Supplier<List<ClusterEndpoints.ClusterView>> localClusters) {
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
        this.targetImbalance = MultiGauge.builder("memdrs.cluster.target.imbalance")
                .description("σ of host loads the migration level aims for (absent at level 1: mandatory moves only)")
                .register(registry);
        this.highWatermark = MultiGauge.builder("memdrs.cluster.high.watermark")
                .description("load no move may push a host above").register(registry);
        this.hostGauges = List.of(
                rowGauge("memdrs.host.load", null, "Σ demand of the host's VMs / its capacity, a fraction",
                        HostsView.Row::load),
                rowGauge("memdrs.host.demand", "bytes", "Σ demand of the host's VMs as the DRS counts it",
                        r -> r.demandKiB() * 1024.0),
                rowGauge("memdrs.host.capacity", "bytes", "memory VMs may use on the host (memory - reserved)",
                        r -> r.capacityKiB() * 1024.0),
                rowGauge("memdrs.host.vms", null, "VMs on the host", HostsView.Row::vmCount));
        this.pairGauges = List.of(
                rowGauge("memdrs.migration.pair.bandwidth.bytes.per.second", null,
                        "effective bandwidth of the newest measured migrations of the pair (bytes sent / time)",
                        p -> p.mibPerSecond() * 1048576.0),
                rowGauge("memdrs.migration.pair.copy.overhead", null,
                        "bytes sent per byte of VM memory over the newest measured migrations of the pair",
                        MigrationsView.Pair::bytesSentPerByte),
                rowGauge("memdrs.migration.pair.measured", null,
                        "measured migrations the pair's calibration comes from",
                        MigrationsView.Pair::measured),
                rowGauge("memdrs.migration.last.predicted.seconds", null,
                        "predicted duration of the pair's newest measured migration",
                        p -> p.lastPredictedDurationMillis() / 1000.0),
                rowGauge("memdrs.migration.last.actual.seconds", null,
                        "duration libvirt measured for the pair's newest measured migration",
                        p -> p.lastDurationMillis() / 1000.0));
    }

    /** A gauge with one row per host or host pair; {@code unit} null for a plain number. */
    private <T> RowGauge<T> rowGauge(String name, String unit, String description, ToDoubleFunction<T> value) {
        MultiGauge.Builder builder = MultiGauge.builder(name).description(description);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        return new RowGauge<>(builder.register(registry), value);
    }

    private ClusterGauge gauge(String name, String description, ToDoubleFunction<ClusterSummary> value) {
        return new ClusterGauge(MultiGauge.builder(name).description(description).register(registry), value);
    }

    ApiResponse scrape() {
        try {
            List<ClusterEndpoints.ClusterView> views = localClusters.get();
            List<ClusterSummary> clusters = views.stream().map(ClusterEndpoints.ClusterView::summary).toList();
            for (ClusterGauge g : gauges) {
                g.gauge().register(clusters.stream().map(c -> MultiGauge.Row.of(Tags.of(Tag.of("cluster", c.cluster())),
                        g.value().applyAsDouble(c))).toList(), true);
            }
            targetImbalance.register(views.stream().filter(v -> v.hosts().targetImbalance() != null)
                    .map(v -> MultiGauge.Row.of(Tags.of("cluster", v.hosts().cluster()), v.hosts().targetImbalance()))
                    .toList(), true);
            highWatermark.register(views.stream().map(v -> MultiGauge.Row.of(Tags.of("cluster", v.hosts().cluster()),
                    v.hosts().highWatermark())).toList(), true);
            register(hostGauges, views, v -> v.hosts().hosts(), (v, h) -> Tags.of("cluster", v.hosts().cluster(),
                    "host", h.host(), "state", h.state()));
            register(pairGauges, views, v -> v.migrations().pairs(), (v, p) -> Tags.of("cluster",
                    v.summary().cluster(), "source", p.source(), "target", p.target()));
        } catch (ApiException e) {
            // Stores not queryable (rebalancing): keep the last values; the Kafka Streams metrics still answer.
        }
        return ApiResponse.text(200, CONTENT_TYPE, registry.scrape());
    }

    /** Sets every gauge's rows to one per item of every cluster, tagged by {@code tags}; rows of gone items go. */
    private static <T> void register(List<RowGauge<T>> gauges, List<ClusterEndpoints.ClusterView> views,
                                     Function<ClusterEndpoints.ClusterView, List<T>> items,
                                     BiFunction<ClusterEndpoints.ClusterView, T, Tags> tags) {
        for (RowGauge<T> g : gauges) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (ClusterEndpoints.ClusterView v : views) {
                for (T item : items.apply(v)) {
                    rows.add(MultiGauge.Row.of(tags.apply(v, item), g.value().applyAsDouble(item)));
                }
            }
            g.gauge().register(rows, true);
        }
    }

    @Override
    public void close() {
        streamsMetrics.close();
        refresher.shutdownNow();
        registry.close();
    }
}
