package io.memdrs.e2e.bench;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;

/** Samples for the pipeline benchmarks, shaped like a collector's. */
final class BenchSamples {
    static final long GIB = 1024L * 1024;

    private BenchSamples() {}

    static VmMemorySample vm(String cluster, String host, String uuid, long usageKiB, long timeMillis) {
        return VmMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setVmUuid(uuid).setVmName(uuid)
                .setSampleTimeMillis(timeMillis).setDomainState(DomainState.RUNNING)
                .setAvailableKiB(8 * GIB).setUsableKiB(8 * GIB - usageKiB).setUnusedKiB(8 * GIB - usageKiB)
                .setActualKiB(8 * GIB).setRssKiB(usageKiB).setLastUpdateEpochSeconds(timeMillis / 1000)
                .setDiskCachesKiB(GIB / 4).setBalloonModel("virtio").setStatsPeriodSeconds(10)
                .setMaxMemoryKiB(8 * GIB).setCurrentMemoryKiB(8 * GIB)
                .setUsageKiB(usageKiB).setUsageSource(UsageSource.USABLE).setHealth(StatsHealth.OK)
                .setHint("last_update 5 s ago (period 10 s)")
                .build();
    }

    static HostMemorySample host(String cluster, String host, long memoryKiB, long timeMillis) {
        return HostMemorySample.newBuilder()
                .setCluster(cluster).setHost(host).setSampleTimeMillis(timeMillis)
                .setMemoryKiB(memoryKiB).setFreeKiB(memoryKiB / 2).setReservedKiB(0)
                .setCpus(64).setRunningVms(10).setPollIntervalSeconds(10).setCollectorVersion("bench")
                .build();
    }
}
