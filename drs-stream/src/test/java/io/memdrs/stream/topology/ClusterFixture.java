package io.memdrs.stream.topology;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.DomainState;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;
import java.util.List;

/** Samples and control events as the collectors and operators would send them. */
public final class ClusterFixture {
    public static final long GIB = 1024L * 1024;

    private ClusterFixture() {}

    public static VmMemorySample vm(String cluster, String host, String uuid, long usageGiB, long timeMillis) {
        return vm(cluster, host, uuid, usageGiB, timeMillis, StatsHealth.OK);
    }

    static VmMemorySample vm(String cluster, String host, String uuid, long usageGiB, long timeMillis, StatsHealth health) {
        long usage = usageGiB * GIB;
        return VmMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setVmUuid(uuid).setVmName("vm-" + uuid)
                .setSampleTimeMillis(timeMillis).setDomainState(DomainState.RUNNING)
                .setAvailableKiB(16 * GIB).setUsableKiB(16 * GIB - usage).setUnusedKiB(16 * GIB - usage)
                .setActualKiB(16 * GIB).setRssKiB(usage).setLastUpdateEpochSeconds(timeMillis / 1000)
                .setBalloonModel("virtio").setStatsPeriodSeconds(10)
                .setMaxMemoryKiB(16 * GIB).setCurrentMemoryKiB(16 * GIB)
                .setUsageKiB(usage).setUsageSource(UsageSource.USABLE).setHealth(health).setHint("test")
                .build();
    }

    public static HostMemorySample host(String cluster, String host, long memoryGiB, long timeMillis) {
        return HostMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setSampleTimeMillis(timeMillis)
                .setMemoryKiB(memoryGiB * GIB).setFreeKiB(memoryGiB * GIB / 2).setReservedKiB(0)
                .setCpus(32).setRunningVms(0).setPollIntervalSeconds(10).setCollectorVersion("test")
                .build();
    }

    static ControlEvent maintenance(String cluster, String host, boolean on) {
        return ControlEvent.newBuilder().setCluster(cluster).setRuleId("maintenance/" + host)
                .setType(ControlType.HOST_MAINTENANCE).setActive(on).setHosts(List.of(host)).setVms(List.of())
                .setMust(true).setCreatedAtMillis(0).build();
    }

    static ControlEvent antiAffinity(String cluster, String id, String... vms) {
        return ControlEvent.newBuilder().setCluster(cluster).setRuleId(id).setType(ControlType.ANTI_AFFINITY)
                .setActive(true).setHosts(List.of()).setVms(List.of(vms)).setMust(true).setCreatedAtMillis(0).build();
    }

    /** A migration event of the migration service; SUCCEEDED and FAILED ones carry libvirt's job statistics. */
    static io.memdrs.avro.MigrationEvent migration(String cluster, String vm, String source, String target,
                                                   io.memdrs.avro.MigrationStatus status, long atMillis,
                                                   long sentBytes, long elapsedMillis) {
        boolean finished = status == io.memdrs.avro.MigrationStatus.SUCCEEDED
                || status == io.memdrs.avro.MigrationStatus.FAILED;
        return io.memdrs.avro.MigrationEvent.newBuilder().setRecommendationId(cluster + ":1:1").setCluster(cluster)
                .setVmUuid(vm).setVmName(vm).setSourceHost(source).setTargetHost(target).setStatus(status)
                .setReason(status == io.memdrs.avro.MigrationStatus.FAILED ? "libvirt: operation failed" : null)
                .setAtMillis(atMillis).setStartedAtMillis(atMillis - elapsedMillis).setPredictedBytes(0)
                .setPredictedDurationMillis(0)
                .setJob(finished ? io.memdrs.avro.MigrationJobStats.newBuilder().setTimeElapsedMillis(elapsedMillis)
                        .setDataTransferredBytes(sentBytes).build() : null)
                .setExecutor("test").build();
    }
}
