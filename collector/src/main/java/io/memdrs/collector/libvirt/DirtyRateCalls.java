package io.memdrs.collector.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.libvirt.Connect;

/**
 * Each running domain's memory dirty rate: one {@code virConnectGetAllDomainStats} call with the dirtyrate group for
 * the results of the last calculation, then {@code virDomainStartDirtyRateCalc} on every running domain for the next
 * (QEMU samples pages over {@code seconds}, in the background). A driver or QEMU without it answers with no
 * dirtyrate fields and refuses the start: {@link Result#supported()} is then false.
 */
public final class DirtyRateCalls {
    /** VIR_DOMAIN_DIRTYRATE_MEASURED: the calculation finished. */
    static final long MEASURED = 2;
    private static final int DOM_OFFSET = 0;
    private static final int PARAMS_OFFSET = Native.POINTER_SIZE;
    private static final int NPARAMS_OFFSET = 2 * Native.POINTER_SIZE;

    /**
     * @param bytesPerSecond per VM UUID, the rate of its last finished calculation
     * @param started calculations started for the next reading
     * @param refused domains that refused a calculation, with libvirt's error of the last one
     * @param lastError that error, or null
     */
    public record Result(Map<String, Long> bytesPerSecond, int started, int refused, String lastError) {
        /** False when no domain took a calculation (nothing runs, or the driver does not offer it). */
        public boolean supported() {
            return started > 0 || refused == 0;
        }
    }

    private DirtyRateCalls() {}

    /** Reads the finished calculations and starts the next; a call for {@link LibvirtSession#call}. */
    public static Result readAndRestart(Connect connect, int seconds) {
        LibvirtNative lib = LibvirtNative.INSTANCE;
        PointerByReference ret = new PointerByReference();
        int count = lib.virConnectGetAllDomainStats(NativeHandles.of(connect), LibvirtNative.STATS_DIRTYRATE, ret,
                LibvirtNative.GET_ALL_DOMAINS_STATS_ACTIVE);
        if (count < 0) {
            throw NativeCalls.failure("virConnectGetAllDomainStats (dirtyrate)");
        }
        Pointer list = ret.getValue();
        Map<String, Long> rates = new HashMap<>();
        int started = 0;
        int refused = 0;
        String lastError = null;
        try {
            Pointer[] records = count == 0 || list == null ? new Pointer[0] : list.getPointerArray(0, count);
            for (Pointer record : records) {
                Pointer dom = record.getPointer(DOM_OFFSET);
                TypedParameters params = TypedParameters.read(record.getPointer(PARAMS_OFFSET),
                        record.getInt(NPARAMS_OFFSET));
                byte[] buf = new byte[37];
                if (lib.virDomainGetUUIDString(dom, buf) < 0) {
                    continue;
                }
                String uuid = new String(buf, 0, 36, StandardCharsets.US_ASCII);
                if (params.longValue("dirtyrate.calc_status").orElse(-1) == MEASURED
                        && params.has("dirtyrate.megabytes_per_second")) {
                    rates.put(uuid, params.longValue("dirtyrate.megabytes_per_second").getAsLong() * 1024 * 1024);
                }
                if (lib.virDomainStartDirtyRateCalc(dom, seconds, 0) == 0) {
                    started++;
                } else {
                    refused++;
                    lastError = NativeCalls.failure("virDomainStartDirtyRateCalc").getMessage();
                }
            }
        } finally {
            if (list != null) {
                lib.virDomainStatsRecordListFree(list);
            }
        }
        return new Result(rates, started, refused, lastError);
    }
}
