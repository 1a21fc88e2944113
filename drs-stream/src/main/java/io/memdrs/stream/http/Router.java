package io.memdrs.stream.http;

import java.util.List;
import java.util.Set;

/**
 * Maps a GET request to its endpoint:
 * <pre>
 * /                                   the dashboard (and /dashboard/{file})
 * /health                             200 while RUNNING or REBALANCING, else 503; {"state", "instance"}
 * /metrics                            Prometheus text
 * /config                             the decision settings (high watermark, level, target σ, ...)
 * /clusters                           every cluster of every instance (?scope=local: this instance's)
 * /clusters/{id}                      one cluster's summary
 * /clusters/{id}/hosts|vms|recommendations|history|plan|snapshot|migrations
 * </pre>
 */
final class Router {
    static final Set<String> CLUSTER_VIEWS = Set.of("hosts", "vms", "recommendations", "history", "plan", "snapshot",
            "migrations");

    private final ClusterEndpoints clusters;
    private final InstanceEndpoints instance;
    private final PrometheusEndpoint metrics;
    private final DashboardAssets dashboard;

    Router(ClusterEndpoints clusters, InstanceEndpoints instance, PrometheusEndpoint metrics, DashboardAssets dashboard) {
        this.clusters = clusters;
        this.instance = instance;
        this.metrics = metrics;
        this.dashboard = dashboard;
    }

    ApiResponse route(ApiRequest request) {
        List<String> path = request.segments();
        if (path.isEmpty()) {
            return dashboard.index();
        }
        String first = path.get(0);
        if (path.size() == 1) {
            switch (first) {
                case "health":
                    return instance.health();
                case "metrics":
                    return metrics.scrape();
                case "config":
                    return instance.config();
                case "clusters":
                    return clusters.clusters(request);
                case "index.html":
                    return dashboard.index();
                default:
                    break;
            }
        }
        if (path.size() == 2 && first.equals("dashboard")) {
            return dashboard.asset(path.get(1));
        }
        if (first.equals("clusters") && path.size() == 2) {
            return clusters.cluster(request, path.get(1), "");
        }
        if (first.equals("clusters") && path.size() == 3 && CLUSTER_VIEWS.contains(path.get(2))) {
            return clusters.cluster(request, path.get(1), path.get(2));
        }
        throw ApiException.notFound("no such path " + request.rawPath()
                + "; see /clusters, /clusters/{id}/hosts|vms|recommendations|history|plan|snapshot|migrations, /health, /metrics, /config");
    }
}
