package io.memdrs.stream.http;

import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.topology.Names;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The cluster endpoints. A cluster's state lives on exactly one instance (the owner of its partition); a request
 * for it is answered there: locally when this instance owns it, else forwarded to the owner and its answer passed
 * through, so every instance gives the same answer for every cluster.
 */
final class ClusterEndpoints {
    private final KafkaStreams streams;
    private final LocalStores stores;
    private final ClusterLocator locator;
    private final InstanceClient instances;
    private final DrsSettings settings;
    private final LongSupplier clock;

    ClusterEndpoints(KafkaStreams streams, ClusterLocator locator, InstanceClient instances, DrsSettings settings,
                     LongSupplier clock) {
        this.streams = streams;
        this.stores = new LocalStores(streams);
        this.locator = locator;
        this.instances = instances;
        this.settings = settings;
        this.clock = clock;
    }

    /** {@code GET /clusters}: every instance's clusters; {@code ?scope=local}: this instance's only. */
    ApiResponse clusters(ApiRequest request) {
        String self = ClusterLocator.name(locator.self());
        if ("local".equals(request.query("scope")) || request.forwarded()) {
            return ApiResponse.json(new ClustersView(localClusters(), List.of(self), true, List.of()));
        }
        Collection<StreamsMetadata> owners;
        try {
            owners = streams.streamsMetadataForStore(Names.CLUSTER_STORE);
        } catch (RuntimeException e) {
            throw ApiException.unavailable("instance metadata is not available (" + streams.state() + ")");
        }
        List<ClusterSummary> all = new ArrayList<>(localClusters());
        List<String> asked = new ArrayList<>(List.of(self));
        List<String> errors = new ArrayList<>();
        for (StreamsMetadata owner : owners) {
            HostInfo host = owner.hostInfo();
            if (host.equals(locator.self())) {
                continue;
            }
            asked.add(ClusterLocator.name(host));
            try {
                ApiResponse answer = instances.get(host, "/clusters?scope=local");
                if (answer.status() != 200) {
                    errors.add(ClusterLocator.name(host) + ": HTTP " + answer.status());
                    continue;
                }
                all.addAll(Json.MAPPER.readValue(answer.body(), ClustersView.class).clusters());
            } catch (ApiException e) {
                errors.add(e.getMessage());
            } catch (IOException e) {
                errors.add(ClusterLocator.name(host) + ": unreadable answer");
            }
        }
        all.sort(Comparator.comparing(ClusterSummary::cluster));
        return ApiResponse.json(new ClustersView(all, asked, errors.isEmpty(), errors));
    }

    /** Summaries of the clusters this instance owns. */
    List<ClusterSummary> localClusters() {
        return localClusterViews().stream().map(ClusterView::summary).toList();
    }

    /** A cluster this instance owns: its summary, its hosts' loads and its finished migrations, as of one moment. */
    record ClusterView(ClusterSummary summary, HostsView hosts, MigrationsView migrations) {}

    /** Summary and host view of every cluster this instance owns, by cluster id. */
    List<ClusterView> localClusterViews() {
        long now = clock.getAsLong();
        String self = ClusterLocator.name(locator.self());
        List<ClusterView> views = new ArrayList<>();
        for (ClusterState state : stores.clusters()) {
            stores.cluster(state.getCluster()).ifPresent(data -> {
                HostsView hosts = HostsView.of(data, settings, now);
                views.add(new ClusterView(ClusterSummary.of(data, hosts, now, self), hosts, MigrationsView.of(data)));
            });
        }
        views.sort(Comparator.comparing(v -> v.summary().cluster()));
        return views;
    }

    /** {@code GET /clusters/{id}[/view]}, answered by the instance that owns the cluster. */
    ApiResponse cluster(ApiRequest request, String cluster, String view) {
        if (!request.forwarded()) {
            Optional<HostInfo> owner = locator.remoteOwnerOf(cluster);
            if (owner.isPresent()) {
                return instances.get(owner.get(), request.pathAndQuery());
            }
        }
        long now = clock.getAsLong();
        ClusterData data = stores.cluster(cluster).orElseThrow(() -> ApiException.notFound("no cluster '" + cluster
                + "' (no sample or control event for it has been seen)"));
        return switch (view) {
            case "" -> ApiResponse.json(ClusterSummary.of(data, settings, now, ClusterLocator.name(locator.self())));
            case "hosts" -> ApiResponse.json(HostsView.of(data, settings, now));
            case "vms" -> ApiResponse.json(VmsView.of(data, settings, now));
            case "recommendations" -> ApiResponse.json(RecommendationsView.of(data, now));
            case "history" -> ApiResponse.json(HistoryView.of(data, settings));
            case "plan" -> ApiResponse.json(PlanView.of(data));
            case "snapshot" -> ApiResponse.json(SnapshotDocument.of(ModelSnapshot.of(data, settings, now).snapshot()));
            case "migrations" -> ApiResponse.json(MigrationsView.of(data));
            default -> throw ApiException.notFound("no such view '" + view + "'; try hosts, vms, recommendations, "
                    + "history, plan, snapshot or migrations");
        };
    }
}
