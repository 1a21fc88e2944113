package io.memdrs.stream.http;

import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.state.ImbalancePoint;
import java.util.List;

/**
 * {@code GET /clusters/{id}/history}: the cluster imbalance (σ of host loads) at each recent decision round, oldest
 * first.
 *
 * @param cluster cluster id
 * @param round number of the last round (0: none yet)
 * @param lastRoundMillis when it ran, epoch millis
 * @param targetImbalance the migration level's target σ; null for level 1
 * @param points one per round
 */
record HistoryView(String cluster, long round, long lastRoundMillis, Double targetImbalance, List<Point> points) {

    /**
     * The imbalance at one round.
     *
     * @param timeMillis when the round ran, epoch millis
     * @param imbalanceBefore σ before the round's moves
     * @param imbalanceAfter σ once the round's moves are executed
     * @param moves moves recommended
     */
    record Point(long timeMillis, double imbalanceBefore, double imbalanceAfter, int moves) {}

    static HistoryView of(ClusterData data, DrsSettings settings) {
        List<Point> points = data.state().getHistory().stream().map(HistoryView::point).toList();
        return new HistoryView(data.cluster(), data.state().getRound(), data.state().getLastRoundMillis(),
                Json.finite(settings.policy().targetImbalance()), points);
    }

    private static Point point(ImbalancePoint p) {
        return new Point(p.getTimeMillis(), p.getImbalanceBefore(), p.getImbalanceAfter(), p.getMoves());
    }
}
