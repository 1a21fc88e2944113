package io.memdrs.collector.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;
import org.libvirt.Domain;

/** A domain's job statistics ({@code virDomainGetJobStats}), which libvirt-java 0.5.4 does not bind. */
public final class DomainJobs {
    private DomainJobs() {}

    /** A reading: the job type libvirt reports (0: none) and its typed parameters by name. */
    public record Reading(int type, Map<String, Object> params) {
        public boolean active() {
            return type != LibvirtNative.JOB_NONE;
        }
    }

    /** The current job's statistics. */
    public static Reading current(Domain domain) throws NativeCallException {
        return read(domain, 0);
    }

    /** The last completed job's statistics (on a migration's target: the incoming migration). */
    public static Reading completed(Domain domain) throws NativeCallException {
        return read(domain, LibvirtNative.JOB_STATS_COMPLETED);
    }

    private static Reading read(Domain domain, int flags) throws NativeCallException {
        IntByReference type = new IntByReference();
        PointerByReference params = new PointerByReference();
        IntByReference count = new IntByReference();
        if (LibvirtNative.INSTANCE.virDomainGetJobStats(NativeHandles.of(domain), type, params, count, flags) < 0) {
            throw NativeCalls.failure("virDomainGetJobStats");
        }
        Pointer array = params.getValue();
        try {
            return new Reading(type.getValue(), array == null ? Map.of() : TypedParameters.read(array, count.getValue()).asMap());
        } finally {
            if (array != null) {
                LibvirtNative.INSTANCE.virTypedParamsFree(array, count.getValue());
            }
        }
    }
}
