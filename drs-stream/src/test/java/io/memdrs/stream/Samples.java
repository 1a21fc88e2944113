package io.memdrs.stream;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;

/** Samples as a collector sends them, for tests outside the topology package. */
final class Samples {
    static final long GIB = 1024L * 1024;

    private Samples() {}

    static VmMemorySample vm(String cluster, String host, String uuid, long usageGiB, long timeMillis) {
        long usage = usageGiB * GIB;
        return VmMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setVmUuid(uuid).setVmName(uuid)
                .setSampleTimeMillis(timeMillis).setDomainState(DomainState.RUNNING)
                .setAvailableKiB(16 * GIB).setUsableKiB(16 * GIB - usage).setRssKiB(usage)
                .setLastUpdateEpochSeconds(timeMillis / 1000).setBalloonModel("virtio").setStatsPeriodSeconds(10)
                .setMaxMemoryKiB(16 * GIB).setCurrentMemoryKiB(16 * GIB)
                .setUsageKiB(usage).setUsageSource(UsageSource.USABLE).setHealth(StatsHealth.OK).setHint("test")
                .build();
    }

    static HostMemorySample host(String cluster, String host, long memoryGiB, long timeMillis) {
        return HostMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setSampleTimeMillis(timeMillis)
                .setMemoryKiB(memoryGiB * GIB).setReservedKiB(0).setCpus(32).setRunningVms(0)
                .setPollIntervalSeconds(1).setCollectorVersion("test")
                .build();
    }
}
