package io.memdrs.executor;

import io.memdrs.avro.Confidence;
import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostState;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MoveReason;
import io.memdrs.avro.TriggerEvidence;
import io.memdrs.config.ConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records as the stream app publishes them, for the executor's tests. */
public final class Recommendations {
    public static final long GIB = 1024L * 1024;

    private Recommendations() {}

    /** A balance move of {@code uuid} from {@code source} to {@code target} with 2 GiB demand, 4 GiB size, 5 min to live. */
    public static MigrationRecommendation move(String id, String cluster, String uuid, String source, String target,
                                               long nowMillis) {
        return MigrationRecommendation.newBuilder()
                .setId(id).setCluster(cluster).setRound(1).setSequence(Integer.parseInt(id.substring(id.lastIndexOf(':') + 1)))
                .setCreatedAtMillis(nowMillis).setExpiresAtMillis(nowMillis + 300_000)
                .setVmUuid(uuid).setVmName("vm " + uuid.substring(uuid.length() - 4))
                .setSourceHost(source).setTargetHost(target).setPriority(3).setReason(MoveReason.BALANCE)
                .setDemandKiB(2 * GIB).setSizeKiB(4 * GIB).setConfidence(Confidence.HIGH)
                .setSourceLoadBefore(0.8).setSourceLoadAfter(0.7).setTargetLoadBefore(0.3).setTargetLoadAfter(0.4)
                .setImbalanceBefore(0.25).setImbalanceAfter(0.15)
                .setTrigger(TriggerEvidence.newBuilder().setMetric("imbalance").setValue(0.25).setThreshold(0.1)
                        .setSustainedSeconds(300).build())
                .setRejectedAlternatives(List.of()).setExplanation("test move").setPolicyVersion("test")
                .build();
    }

    /** An active host of 100 GiB capacity with {@code demandGiB} of demand, computed at {@code atMillis}. */
    public static HostLoad load(String cluster, String host, long demandGiB, long atMillis) {
        return HostLoad.newBuilder()
                .setCluster(cluster).setHost(host).setComputedAtMillis(atMillis)
                .setMemoryKiB(104 * GIB).setReservedKiB(4 * GIB).setCapacityKiB(100 * GIB)
                .setDemandKiB(demandGiB * GIB).setLoad(demandGiB / 100.0).setVmCount(10)
                .setVmsWithTrustedStats(10).setVmsWithUntrustedStats(0)
                .setState(HostState.ACTIVE).setLastSampleMillis(atMillis)
                .build();
    }

    public static ControlEvent pause(String cluster, String ruleId, boolean active, long atMillis) {
        return ControlEvent.newBuilder().setCluster(cluster).setRuleId(ruleId).setType(ControlType.MIGRATIONS_PAUSED)
                .setActive(active).setReason("change freeze").setCreatedAtMillis(atMillis).build();
    }

    /** Settings from {@code overrides} on a minimal valid configuration. */
    public static ExecutorSettings settings(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap.servers", "localhost:9", "executor.name", "test-executor"));
        values.putAll(overrides);
        return ExecutorSettings.from(ConfigSource.of(values));
    }
}
