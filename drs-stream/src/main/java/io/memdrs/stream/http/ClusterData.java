package io.memdrs.stream.http;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import java.util.List;

/**
 * What this instance's state stores hold for one cluster, read at one moment.
 *
 * @param cluster cluster id
 * @param state rounds and imbalance history
 * @param hosts every host the model knows, reporting or not
 * @param vms every VM still in the model
 * @param controls the operator's active instructions
 * @param recommendations recommendations kept for queries (expired ones may linger until the next round)
 * @param migrations the finished migrations kept (SUCCEEDED and FAILED events), oldest first
 */
record ClusterData(String cluster, ClusterState state, List<HostState> hosts, List<VmState> vms,
                   List<ControlEvent> controls, List<MigrationRecommendation> recommendations,
                   List<MigrationEvent> migrations) {

    ClusterData {
        hosts = List.copyOf(hosts);
        vms = List.copyOf(vms);
        controls = List.copyOf(controls);
        recommendations = List.copyOf(recommendations);
        migrations = List.copyOf(migrations);
    }
}
