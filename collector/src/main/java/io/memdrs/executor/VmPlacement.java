package io.memdrs.executor;

/**
 * Where a VM to be moved is right now, as libvirt answers on its source and target.
 *
 * @param where what was found
 * @param detail libvirt's words when a host could not be asked, or the domain's state when it is not running
 */
public record VmPlacement(Where where, String detail) {
    /** What the source and target hosts say of the VM. */
    public enum Where {
        /** Running on the source: the move can go ahead. */
        ON_SOURCE,
        /** Defined on the source but not running. */
        NOT_RUNNING,
        /** Already on the target (moved by someone, or by an earlier life of this service). */
        ON_TARGET,
        /** On neither host. */
        GONE,
        /** A migration job of this VM is already running. */
        MIGRATING,
        /** A host could not be asked. */
        UNREACHABLE
    }

    public static VmPlacement onSource() {
        return new VmPlacement(Where.ON_SOURCE, "");
    }

    public static VmPlacement of(Where where, String detail) {
        return new VmPlacement(where, detail);
    }
}
