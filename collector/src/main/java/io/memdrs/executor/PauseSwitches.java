package io.memdrs.executor;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The per-cluster kill switch: a cluster's migrations are paused while it has an active {@code MIGRATIONS_PAUSED}
 * instruction on the control topic. As for every instruction, the latest event per (cluster, ruleId) wins.
 */
public final class PauseSwitches {
    private final Map<String, Map<String, ControlEvent>> pauses = new HashMap<>();

    public void offer(ControlEvent event) {
        Map<String, ControlEvent> cluster = pauses.computeIfAbsent(event.getCluster(), k -> new TreeMap<>());
        if (event.getType() == ControlType.MIGRATIONS_PAUSED && event.getActive()) {
            cluster.put(event.getRuleId(), event);
        } else {
            // a later event with the same id replaces the pause: deactivated, or turned into another instruction
            cluster.remove(event.getRuleId());
        }
    }

    /** Who paused the cluster and why ("rule 'x' (reason)"), if it is paused. */
    public Optional<String> pausedBy(String cluster) {
        Map<String, ControlEvent> active = pauses.getOrDefault(cluster, Map.of());
        return active.values().stream().findFirst().map(e -> "rule '" + e.getRuleId() + "'"
                + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
    }
}
