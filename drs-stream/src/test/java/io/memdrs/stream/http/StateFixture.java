package io.memdrs.stream.http;

import io.memdrs.avro.Confidence;
import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationJobStats;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MoveReason;
import io.memdrs.avro.RejectedAlternative;
import io.memdrs.avro.TriggerEvidence;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.ImbalancePoint;
import io.memdrs.stream.state.VmState;
import java.util.List;

/** State-store values as the cluster model writes them, for testing the views without Kafka. */
final class StateFixture {
    static final long GIB = 1024L * 1024;

    private StateFixture() {}

    static HostState host(String cluster, String name, long memoryGiB, long reservedGiB, long lastSampleMillis,
                          long demandGiB, int vms, int trusted) {
        return HostState.newBuilder().setCluster(cluster).setHost(name).setMemoryKiB(memoryGiB * GIB)
                .setReservedKiB(reservedGiB * GIB).setPollIntervalSeconds(10).setLastSampleMillis(lastSampleMillis)
                .setDemandKiB(demandGiB * GIB).setVmCount(vms).setTrustedVms(trusted).setAboveSinceMillis(0).build();
    }

    static VmState vm(String cluster, String uuid, String host, long demandGiB, long sampleMillis, String health,
                      String hint) {
        boolean trusted = health.equals("OK") || health.equals("PARTIAL");
        return VmState.newBuilder().setCluster(cluster).setVmUuid(uuid).setVmName("vm-" + uuid).setHost(host)
                .setLastSampleMillis(sampleMillis).setUsageKiB(demandGiB * GIB).setSmoothedKiB(demandGiB * GIB)
                .setPeakKiB(demandGiB * GIB).setPeakAtMillis(sampleMillis).setSizeKiB(16 * GIB)
                .setBoundKiB(16 * GIB).setTrusted(trusted).setHealth(health).setHint(hint)
                .setDemandKiB(demandGiB * GIB).build();
    }

    static ClusterState cluster(String cluster, long round, ImbalancePoint... history) {
        return ClusterState.newBuilder().setCluster(cluster).setRound(round).setLastRoundMillis(round * 1000)
                .setImbalanceAboveSinceMillis(0).setHistory(List.of(history)).build();
    }

    static ImbalancePoint point(long time, double before, double after, int moves) {
        return ImbalancePoint.newBuilder().setTimeMillis(time).setImbalanceBefore(before).setImbalanceAfter(after)
                .setMoves(moves).build();
    }

    static ControlEvent control(String cluster, String id, ControlType type, List<String> vms, List<String> hosts) {
        return ControlEvent.newBuilder().setCluster(cluster).setRuleId(id).setType(type).setActive(true)
                .setHosts(hosts).setVms(vms).setMust(true).setCreatedAtMillis(0).build();
    }

    static MigrationRecommendation recommendation(String cluster, long round, int sequence, long expiresAtMillis) {
        return MigrationRecommendation.newBuilder()
                .setId(cluster + ":" + round + ":" + sequence).setCluster(cluster).setRound(round).setSequence(sequence)
                .setCreatedAtMillis(round * 1000).setExpiresAtMillis(expiresAtMillis)
                .setVmUuid("a1").setVmName("vm-a1").setSourceHost("h1").setTargetHost("h2").setPriority(3)
                .setReason(MoveReason.BALANCE).setDemandKiB(8 * GIB).setSizeKiB(16 * GIB).setConfidence(Confidence.HIGH)
                .setSourceLoadBefore(0.8).setSourceLoadAfter(0.67).setTargetLoadBefore(0.13).setTargetLoadAfter(0.27)
                .setImbalanceBefore(0.3).setImbalanceAfter(0.2)
                .setTrigger(TriggerEvidence.newBuilder().setMetric("imbalance").setValue(0.3).setThreshold(0.1)
                        .setSustainedSeconds(60).build())
                .setRejectedAlternatives(List.of(RejectedAlternative.newBuilder().setVmUuid("a2").setTargetHost("h3")
                        .setReason("less benefit per byte").build()))
                .setExplanation("move vm-a1 from h1 (80 %) to h2 (13 %): σ 0.300 → 0.200")
                .setPolicyVersion("builtin-1").build();
    }

    /**
     * A finished migration as the migration service reports it: predicted {@code predictedMillis} for
     * {@code predictedMiB}; libvirt measured {@code millis} and {@code sentMiB} (no job statistics when
     * {@code millis} is 0) of a 16 GiB guest.
     */
    static MigrationEvent migration(String cluster, String vm, String source, String target, MigrationStatus status,
                                    long atMillis, long predictedMillis, long predictedMiB, long millis, long sentMiB) {
        MigrationJobStats job = millis == 0 ? null : MigrationJobStats.newBuilder().setTimeElapsedMillis(millis)
                .setDowntimeMillis(200L).setDataTransferredBytes(sentMiB << 20).setMemoryTotalBytes(16L << 30)
                .setMemoryTransferredBytes(sentMiB << 20).setMemoryIterations(3L).setDirtyRateBytesPerSecond(1L << 20)
                .setAutoConvergeThrottlePercent(0L).build();
        return MigrationEvent.newBuilder().setRecommendationId(cluster + ":" + atMillis + ":1").setCluster(cluster)
                .setVmUuid(vm).setVmName("vm-" + vm).setSourceHost(source).setTargetHost(target).setStatus(status)
                .setReason(status == MigrationStatus.FAILED ? "libvirt: Unable to read from monitor" : null)
                .setDryRun(false).setAtMillis(atMillis).setStartedAtMillis(atMillis - Math.max(millis, 1_000))
                .setPredictedBytes(predictedMiB << 20).setPredictedDurationMillis(predictedMillis).setBandwidthMiBps(null)
                .setJob(job).setExecutor("executor-1").build();
    }
}
