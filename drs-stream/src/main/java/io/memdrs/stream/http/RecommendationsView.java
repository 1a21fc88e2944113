package io.memdrs.stream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memdrs.avro.MigrationRecommendation;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /clusters/{id}/recommendations}: the recommendations not yet expired, newest round first and in
 * execution order within a round; each has every field of the {@code MigrationRecommendation} contract (ids,
 * source and target, priority, reason, loads and σ before/after, trigger evidence, rejected alternatives, the
 * explanation, the policy version, the expiry).
 *
 * @param cluster cluster id
 * @param computedAtMillis when this view was computed, epoch millis (recommendations expiring before are left out)
 * @param recommendations the live recommendations
 */
record RecommendationsView(String cluster, long computedAtMillis, List<ObjectNode> recommendations) {

    static RecommendationsView of(ClusterData data, long nowMillis) {
        List<ObjectNode> live = data.recommendations().stream()
                .filter(r -> r.getExpiresAtMillis() > nowMillis)
                .sorted(Comparator.comparingLong(MigrationRecommendation::getRound).reversed()
                        .thenComparingInt(MigrationRecommendation::getSequence))
                .map(AvroJson::of)
                .toList();
        return new RecommendationsView(data.cluster(), nowMillis, live);
    }
}
