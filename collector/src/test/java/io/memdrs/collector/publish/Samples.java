package io.memdrs.collector.publish;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;

/** Test fixtures: minimal valid samples, told apart by their VM uuid. */
final class Samples {
    private Samples() {}

    static VmMemorySample vm(String cluster, int index, long timeMillis) {
        return VmMemorySample.newBuilder()
                .setCluster(cluster)
                .setHost("node-1")
                .setVmUuid(String.format("00000000-0000-4000-8000-%012d", index))
                .setVmName("vm-" + index)
                .setSampleTimeMillis(timeMillis)
                .setDomainState(DomainState.RUNNING)
                .setMaxMemoryKiB(1_048_576)
                .setCurrentMemoryKiB(1_048_576)
                .setUsageKiB(524_288)
                .setUsageSource(UsageSource.ALLOCATED)
                .setHealth(StatsHealth.NO_BALLOON)
                .setHint("fixture")
                .build();
    }
}
