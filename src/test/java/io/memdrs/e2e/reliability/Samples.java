package io.memdrs.e2e.reliability;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.DomainState;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;
import java.util.List;

/** Records as a healthy collector or an operator sends them; tests change one field to make them absurd. */
final class Samples {
    static final long GIB = 1024L * 1024;

    private Samples() {}

    /** A running VM of 16 GiB with live balloon statistics, using {@code usageKiB}. */
    static VmMemorySample vm(String cluster, String host, String uuid, long usageKiB, long timeMillis) {
        return VmMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setVmUuid(uuid).setVmName("vm-" + uuid)
                .setSampleTimeMillis(timeMillis).setDomainState(DomainState.RUNNING)
                .setAvailableKiB(16 * GIB).setUsableKiB(Math.max(0, 16 * GIB - usageKiB)).setRssKiB(usageKiB)
                .setLastUpdateEpochSeconds(timeMillis / 1000).setBalloonModel("virtio").setStatsPeriodSeconds(10)
                .setMaxMemoryKiB(16 * GIB).setCurrentMemoryKiB(16 * GIB)
                .setUsageKiB(usageKiB).setUsageSource(UsageSource.USABLE).setHealth(StatsHealth.OK)
                .setHint("statistics are live")
                .build();
    }

    /** A host with {@code memoryKiB} of memory whose collector polls every {@code pollSeconds}. */
    static HostMemorySample host(String cluster, String host, long memoryKiB, int pollSeconds, long timeMillis) {
        return HostMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setSampleTimeMillis(timeMillis)
                .setMemoryKiB(memoryKiB).setReservedKiB(0).setCpus(32).setRunningVms(0)
                .setPollIntervalSeconds(pollSeconds).setCollectorVersion("test")
                .build();
    }

    /** An active maintenance instruction for {@code host}. */
    static ControlEvent maintenance(String cluster, String ruleId, String host, long timeMillis) {
        return ControlEvent.newBuilder().setCluster(cluster).setRuleId(ruleId).setType(ControlType.HOST_MAINTENANCE)
                .setActive(true).setHosts(List.of(host)).setVms(List.of()).setMust(true).setReason("test")
                .setCreatedAtMillis(timeMillis).build();
    }
}
