package io.memdrs.engine;

import java.util.Objects;

/**
 * A compute host of a cluster.
 *
 * @param name host name, unique in the cluster
 * @param memoryKiB physical memory, KiB
 * @param reservedKiB memory kept for the host itself, KiB; VMs may use {@code memoryKiB - reservedKiB}
 * @param maintenance true while the host is being evacuated: never a target, its VMs leave with priority 1
 * @param state {@link HostState#UNKNOWN} when the host is not heard from
 */
public record Host(String name, long memoryKiB, long reservedKiB, boolean maintenance, HostState state) {

    public Host {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        if (memoryKiB < 0 || reservedKiB < 0) {
            throw new IllegalArgumentException("host " + name + ": memory and reserved must not be negative");
        }
    }

    /** An active host. */
    public Host(String name, long memoryKiB, long reservedKiB, boolean maintenance) {
        this(name, memoryKiB, reservedKiB, maintenance, HostState.ACTIVE);
    }

    /** Memory VMs may use, KiB; zero or negative means the host cannot take part. */
    public long capacityKiB() {
        return memoryKiB - reservedKiB;
    }

    /** True when the host's load counts in the imbalance: active, not in maintenance, with capacity. */
    public boolean balanced() {
        return !maintenance && state == HostState.ACTIVE && capacityKiB() > 0;
    }
}
