package io.memdrs.collector.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.memdrs.avro.DomainState;
import io.memdrs.collector.model.BalloonConfig;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.MemoryStatTag;
import io.memdrs.collector.model.RawMemoryStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Error.ErrorNumber;

/**
 * Every domain's state and balloon statistics in one libvirt call, {@code virConnectGetAllDomainStats} with the
 * state and balloon groups, instead of two or three calls per domain.
 *
 * <pre>
 * struct _virDomainStatsRecord { virDomainPtr dom; virTypedParameterPtr params; int nparams; };
 * int virConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
 *                                 virDomainStatsRecordPtr **retStats, unsigned int flags);
 * </pre>
 *
 * {@code retStats} is a NULL-terminated array of record pointers, freed (with the domain references) by
 * {@code virDomainStatsRecordListFree}. The balloon configuration still comes from each domain's live XML, through
 * a {@link BalloonConfigCache}, read while the record's domain reference is alive.
 */
final class AllDomainStats {
    private static final int GROUPS = LibvirtNative.STATS_STATE | LibvirtNative.STATS_BALLOON;
    private static final int DOM_OFFSET = 0;
    private static final int PARAMS_OFFSET = Native.POINTER_SIZE;
    private static final int NPARAMS_OFFSET = 2 * Native.POINTER_SIZE;
    private static final int UUID_BUFLEN = 37;

    /**
     * What one call returned.
     *
     * @param domains the domains read completely
     * @param readAlone UUIDs of running domains whose record came without guest statistics (QEMU could not take the
     *                  domain's job): to be read with the per-domain calls
     * @param vanished domains that disappeared before their XML could be read
     */
    record Result(List<DomainSnapshot> domains, List<String> readAlone, int vanished) {}

    /** The driver cannot answer the state and balloon groups (the test driver has no balloon group). */
    static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message);
        }
    }

    private AllDomainStats() {}

    /**
     * Calls virConnectGetAllDomainStats.
     *
     * @param enforce ask libvirt to fail rather than silently leave out an unsupported group, and fail likewise when
     *                a record lacks the balloon group; false reads whatever the driver gives (benchmarks)
     * @throws Unsupported when {@code enforce} and the driver has no balloon group
     * @throws NativeCallException on any other libvirt failure
     */
    static Result read(Pointer conn, boolean includeInactive, boolean enforce, BalloonConfigCache balloons)
            throws Unsupported {
        LibvirtNative lib = LibvirtNative.INSTANCE;
        int flags = (includeInactive ? 0 : LibvirtNative.GET_ALL_DOMAINS_STATS_ACTIVE)
                | (enforce ? LibvirtNative.GET_ALL_DOMAINS_STATS_ENFORCE_STATS : 0);
        PointerByReference ret = new PointerByReference();
        int count = lib.virConnectGetAllDomainStats(conn, GROUPS, ret, flags);
        if (count < 0) {
            NativeCallException failure = NativeCalls.failure("virConnectGetAllDomainStats");
            if (failure.is(ErrorNumber.VIR_ERR_NO_SUPPORT) || failure.is(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED)
                    || failure.is(ErrorNumber.VIR_ERR_INVALID_ARG)) {
                throw new Unsupported(failure.getMessage());
            }
            throw failure;
        }
        Pointer list = ret.getValue();
        try {
            List<DomainSnapshot> domains = new ArrayList<>(count);
            List<String> readAlone = new ArrayList<>();
            int vanished = 0;
            Pointer[] records = count == 0 || list == null ? new Pointer[0] : list.getPointerArray(0, count);
            for (Pointer record : records) {
                Pointer dom = record.getPointer(DOM_OFFSET);
                TypedParameters params = TypedParameters.read(record.getPointer(PARAMS_OFFSET),
                        record.getInt(NPARAMS_OFFSET));
                if (enforce && !BalloonParameters.hasBalloonGroup(params)) {
                    throw new Unsupported("the driver answered virConnectGetAllDomainStats without the balloon group");
                }
                String uuid = uuidOf(dom);
                int id = lib.virDomainGetID(dom);
                boolean active = id != -1;
                if (active && enforce && !BalloonParameters.hasGuestStats(params)) {
                    readAlone.add(uuid);
                    continue;
                }
                RawMemoryStats stats = active ? BalloonParameters.stats(params) : RawMemoryStats.NONE;
                BalloonConfig balloon;
                try {
                    balloon = balloons.lookup(uuid, id, stats.orNull(MemoryStatTag.LAST_UPDATE), () -> xmlOf(dom));
                } catch (NativeCallException e) {
                    if (e.is(ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                        vanished++;
                        continue;
                    }
                    throw e;
                }
                domains.add(new DomainSnapshot(uuid, lib.virDomainGetName(dom), state(params),
                        params.longValue(BalloonParameters.MAXIMUM).orElse(0),
                        params.longValue(BalloonParameters.CURRENT).orElse(0), stats, balloon, balloons.nova(uuid)));
            }
            return new Result(domains, readAlone, vanished);
        } finally {
            if (list != null) {
                lib.virDomainStatsRecordListFree(list);
            }
        }
    }

    private static DomainState state(TypedParameters params) {
        return params.longValue(BalloonParameters.STATE).isPresent()
                ? DomainStates.ofCode((int) params.longValue(BalloonParameters.STATE).getAsLong())
                : DomainState.UNKNOWN;
    }

    private static String uuidOf(Pointer dom) {
        byte[] buf = new byte[UUID_BUFLEN];
        if (LibvirtNative.INSTANCE.virDomainGetUUIDString(dom, buf) < 0) {
            throw NativeCalls.failure("virDomainGetUUIDString");
        }
        return new String(buf, 0, UUID_BUFLEN - 1, StandardCharsets.US_ASCII);
    }

    private static String xmlOf(Pointer dom) {
        Pointer xml = LibvirtNative.INSTANCE.virDomainGetXMLDesc(dom, 0);
        if (xml == null) {
            throw NativeCalls.failure("virDomainGetXMLDesc");
        }
        return NativeCalls.takeString(xml);
    }
}
