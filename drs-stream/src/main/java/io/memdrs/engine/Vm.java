package io.memdrs.engine;

import java.util.Objects;

/**
 * A VM as the decision engine sees it.
 *
 * @param uuid libvirt UUID, unique in the cluster
 * @param name display name
 * @param host name of the host it runs on
 * @param demandKiB memory demand it brings to a host, KiB (for LOW confidence: a conservative bound)
 * @param sizeKiB memory size, KiB: what a live migration copies at least (the cost of moving it)
 * @param confidence whether the demand may drive a move
 * @param movable false when an operator said "do not move"
 * @param dirtyBytesPerSecond how fast the guest dirties its memory, bytes per second; -1 when not measured
 */
public record Vm(String uuid, String name, String host, long demandKiB, long sizeKiB, Confidence confidence,
        boolean movable, long dirtyBytesPerSecond) {

    /** A VM whose dirty rate is not measured. */
    public Vm(String uuid, String name, String host, long demandKiB, long sizeKiB, Confidence confidence,
            boolean movable) {
        this(uuid, name, host, demandKiB, sizeKiB, confidence, movable, -1);
    }

    public Vm {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(confidence, "confidence");
        if (demandKiB < 0 || sizeKiB < 0) {
            throw new IllegalArgumentException("vm " + uuid + ": demand and size must not be negative");
        }
    }

    /** A movable VM with trusted demand. */
    public static Vm of(String uuid, String name, String host, long demandKiB, long sizeKiB) {
        return new Vm(uuid, name, host, demandKiB, sizeKiB, Confidence.HIGH, true);
    }
}
