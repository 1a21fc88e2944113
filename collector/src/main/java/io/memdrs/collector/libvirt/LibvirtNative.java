package io.memdrs.collector.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * The libvirt C calls that libvirt-java 0.5.4 does not bind, called straight on {@code libvirt.so.0}.
 * Pointers come from {@link NativeHandles}.
 */
public interface LibvirtNative extends Library {
    /** VIR_NODE_MEMORY_STATS_ALL_CELLS. */
    int ALL_CELLS = -1;
    /** VIR_DOMAIN_AFFECT_LIVE. */
    int AFFECT_LIVE = 1;
    /** VIR_DOMAIN_AFFECT_CONFIG. */
    int AFFECT_CONFIG = 2;
    /** VIR_DOMAIN_STATS_STATE. */
    int STATS_STATE = 1;
    /** VIR_DOMAIN_STATS_BALLOON. */
    int STATS_BALLOON = 4;
    /** VIR_DOMAIN_STATS_DIRTYRATE: the last memory dirty rate calculation (libvirt 7.2 and later). */
    int STATS_DIRTYRATE = 1 << 9;
    /** VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE: only running (active) domains. */
    int GET_ALL_DOMAINS_STATS_ACTIVE = 1;
    /** VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS: fail when a requested stats group is not supported. */
    int GET_ALL_DOMAINS_STATS_ENFORCE_STATS = 1 << 31;
    /** VIR_DOMAIN_JOB_STATS_COMPLETED: the statistics of the last completed job. */
    int JOB_STATS_COMPLETED = 1;
    /** VIR_DOMAIN_JOB_NONE: virDomainGetJobStats' type when no job is running. */
    int JOB_NONE = 0;
    /** VIR_TYPED_PARAM_* type codes. */
    int TYPED_PARAM_INT = 1;
    int TYPED_PARAM_UINT = 2;
    int TYPED_PARAM_LLONG = 3;
    int TYPED_PARAM_ULLONG = 4;
    int TYPED_PARAM_DOUBLE = 5;
    int TYPED_PARAM_BOOLEAN = 6;
    int TYPED_PARAM_STRING = 7;

    LibvirtNative INSTANCE = Native.load("virt", LibvirtNative.class);

    /** virErrorFunc: libvirt calls it for every error; the default one prints to stderr. */
    interface ErrorFunc extends com.sun.jna.Callback {
        void invoke(Pointer userData, Pointer error);
    }

    /** Replaces libvirt's process-wide default error handler (errors still reach callers as return codes). */
    void virSetErrorFunc(Pointer userData, ErrorFunc handler);

    int virNodeGetMemoryStats(Pointer conn, int cellNum, NodeMemoryStats params, IntByReference nparams, int flags);

    int virNodeGetMemoryStats(Pointer conn, int cellNum, Pointer params, IntByReference nparams, int flags);

    int virDomainSetMemoryStatsPeriod(Pointer domain, int period, int flags);

    /** Starts QEMU's calculation of the domain's memory dirty rate over {@code seconds}; asynchronous. */
    int virDomainStartDirtyRateCalc(Pointer domain, int seconds, int flags);

    /**
     * Every domain's statistics of the {@code stats} groups in one call. {@code retStats} receives a NULL-terminated
     * array of {@code virDomainStatsRecordPtr}; returns their count, or -1. Free with
     * {@link #virDomainStatsRecordListFree}.
     */
    int virConnectGetAllDomainStats(Pointer conn, int stats, PointerByReference retStats, int flags);

    /** Frees what {@link #virConnectGetAllDomainStats} returned, the domain references included. */
    void virDomainStatsRecordListFree(Pointer stats);

    /** Writes the domain's UUID, 36 characters and a NUL, into {@code buf}; a local call (no RPC). */
    int virDomainGetUUIDString(Pointer domain, byte[] buf);

    /** The domain's name, owned by the domain object (not to be freed); a local call. */
    String virDomainGetName(Pointer domain);

    /** The domain's id, {@code (unsigned) -1} when it is not running; a local call. */
    int virDomainGetID(Pointer domain);

    /**
     * The statistics of the domain's current job, or with {@link #JOB_STATS_COMPLETED} of its last completed one;
     * {@code params} receives an array of {@code nparams} typed parameters, to be freed with {@link #virTypedParamsFree}.
     */
    int virDomainGetJobStats(Pointer domain, IntByReference type, PointerByReference params, IntByReference nparams, int flags);

    /** Frees a typed parameter array libvirt allocated, strings included. */
    void virTypedParamsFree(Pointer params, int nparams);

    /** The domain's XML description, to be freed by the caller (see {@link NativeCalls#takeString}). */
    Pointer virDomainGetXMLDesc(Pointer domain, int flags);

    /** struct _virNodeMemoryStats { char field[80]; unsigned long long value; }. */
    @Structure.FieldOrder({"field", "value"})
    class NodeMemoryStats extends Structure {
        public byte[] field = new byte[80];
        public long value;

        public String name() {
            int end = 0;
            while (end < field.length && field[end] != 0) {
                end++;
            }
            return new String(field, 0, end, StandardCharsets.US_ASCII);
        }
    }
}
