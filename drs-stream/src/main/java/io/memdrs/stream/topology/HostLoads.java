package io.memdrs.stream.topology;

import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.HostState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;

/** Arithmetic on the per-host aggregate: add or remove one VM's demand, apply a host sample. Pure. */
public final class HostLoads {
    private HostLoads() {}

    /** A host known only from its VMs so far: no capacity, state unknown. */
    public static HostLoad empty(String cluster, String host) {
        return HostLoad.newBuilder().setCluster(cluster).setHost(host).setComputedAtMillis(0)
                .setMemoryKiB(0).setReservedKiB(0).setCapacityKiB(0).setDemandKiB(0).setLoad(0).setVmCount(0)
                .setVmsWithTrustedStats(0).setVmsWithUntrustedStats(0).setState(HostState.UNKNOWN)
                .setLastSampleMillis(0).build();
    }

    /** Whether a VM's demand comes from guest statistics that can be trusted. */
    public static boolean trusted(VmMemorySample vm) {
        return vm.getHealth() == StatsHealth.OK || vm.getHealth() == StatsHealth.PARTIAL;
    }

    /** {@code load} with {@code vm} added ({@code sign} = 1) or removed ({@code sign} = -1). */
    public static HostLoad withVm(HostLoad load, VmMemorySample vm, int sign) {
        HostLoad.Builder b = HostLoad.newBuilder(load)
                .setDemandKiB(Math.max(0, load.getDemandKiB() + sign * vm.getUsageKiB()))
                .setVmCount(Math.max(0, load.getVmCount() + sign));
        if (trusted(vm)) {
            b.setVmsWithTrustedStats(Math.max(0, load.getVmsWithTrustedStats() + sign));
        } else {
            b.setVmsWithUntrustedStats(Math.max(0, load.getVmsWithUntrustedStats() + sign));
        }
        b.setComputedAtMillis(Math.max(load.getComputedAtMillis(), vm.getSampleTimeMillis()));
        return withLoad(b.build());
    }

    /** {@code load} with the capacity and freshness of a new host sample. */
    public static HostLoad withHostSample(HostLoad load, HostMemorySample sample) {
        HostState state = load.getState() == HostState.MAINTENANCE ? HostState.MAINTENANCE : HostState.ACTIVE;
        return withLoad(HostLoad.newBuilder(load)
                .setMemoryKiB(sample.getMemoryKiB())
                .setReservedKiB(sample.getReservedKiB())
                .setCapacityKiB(sample.getMemoryKiB() - sample.getReservedKiB())
                .setLastSampleMillis(sample.getSampleTimeMillis())
                .setComputedAtMillis(sample.getSampleTimeMillis())
                .setState(state)
                .build());
    }

    private static HostLoad withLoad(HostLoad load) {
        double fraction = load.getCapacityKiB() > 0 ? (double) load.getDemandKiB() / load.getCapacityKiB() : 0.0;
        load.setLoad(fraction);
        return load;
    }
}
