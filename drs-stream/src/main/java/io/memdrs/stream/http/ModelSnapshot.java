package io.memdrs.stream.http;

import io.memdrs.engine.Host;
import io.memdrs.engine.Snapshot;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.model.SnapshotBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The engine's view of a cluster right now, as the next decision round would build it (same builder). */
final class ModelSnapshot {
    private ModelSnapshot() {}

    static SnapshotBuilder.Result of(ClusterData data, DrsSettings settings, long nowMillis) {
        long since = data.state().getImbalanceAboveSinceMillis();
        return SnapshotBuilder.build(data.cluster(), data.hosts(), data.vms(), data.controls(), nowMillis,
                settings.stalePeriods(), since > 0 ? Optional.of(Instant.ofEpochMilli(since)) : Optional.empty());
    }

    /** Host name → host as the engine sees it (state, maintenance). */
    static Map<String, Host> hostsByName(Snapshot snapshot) {
        Map<String, Host> byName = new HashMap<>();
        snapshot.hosts().forEach(h -> byName.put(h.name(), h));
        return byName;
    }
}
