package io.memdrs.stream.http;

import java.util.List;

/**
 * {@code GET /clusters}: every cluster of every instance. Each instance lists the clusters it owns
 * ({@code ?scope=local}); the instance asked merges the lists of all instances that host the cluster store.
 *
 * @param clusters the clusters, by id
 * @param instances the instances asked (host:port)
 * @param complete false when an instance did not answer (its clusters are missing; see {@code errors})
 * @param errors what went wrong, per instance
 */
record ClustersView(List<ClusterSummary> clusters, List<String> instances, boolean complete, List<String> errors) {

    ClustersView {
        clusters = List.copyOf(clusters);
        instances = List.copyOf(instances);
        errors = List.copyOf(errors);
    }
}
