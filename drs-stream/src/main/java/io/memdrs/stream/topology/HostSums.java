package io.memdrs.stream.topology;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;

/** Arithmetic on a host's running sums: add or remove one VM's demand, apply a host sample. Pure. */
final class HostSums {
    private HostSums() {}

    /** A host known only from its VMs so far: no capacity yet. */
    static HostState empty(String cluster, String host) {
        return HostState.newBuilder().setCluster(cluster).setHost(host).setMemoryKiB(0).setReservedKiB(0)
                .setPollIntervalSeconds(10).setLastSampleMillis(0).setDemandKiB(0).setVmCount(0).setTrustedVms(0)
                .setAboveSinceMillis(0).build();
    }

    /** {@code host} with {@code vm} added ({@code sign} = 1) or removed ({@code sign} = -1). */
    static HostState withVm(HostState host, VmState vm, int sign) {
        host.setDemandKiB(Math.max(0, host.getDemandKiB() + sign * vm.getDemandKiB()));
        host.setVmCount(Math.max(0, host.getVmCount() + sign));
        if (vm.getTrusted()) {
            host.setTrustedVms(Math.max(0, host.getTrustedVms() + sign));
        }
        return host;
    }

    static HostState withHostSample(HostState host, HostMemorySample sample) {
        host.setMemoryKiB(sample.getMemoryKiB());
        host.setReservedKiB(sample.getReservedKiB());
        host.setPollIntervalSeconds(Math.max(1, sample.getPollIntervalSeconds()));
        host.setLastSampleMillis(sample.getSampleTimeMillis());
        return host;
    }

    static double load(HostState host) {
        long capacity = host.getMemoryKiB() - host.getReservedKiB();
        return capacity > 0 ? (double) host.getDemandKiB() / capacity : 0.0;
    }
}
