package io.memdrs.collector.libvirt;

import com.sun.jna.ptr.IntByReference;
import io.memdrs.avro.DomainState;
import io.memdrs.collector.host.HostSnapshot;
import io.memdrs.collector.model.BalloonConfig;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.MemoryStatTag;
import io.memdrs.collector.model.RawMemoryStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.MemoryStatistic;
import org.libvirt.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one poll's worth of raw facts from a libvirt connection: every domain's state, balloon statistics (all 13
 * tags) and live balloon configuration, and the host's memory. No interpretation happens here; a domain that
 * vanishes mid-poll is skipped and counted.
 *
 * <p>Statistics come from one {@code virConnectGetAllDomainStats} call (state and balloon groups) where the driver
 * supports it, else from per-domain calls ({@code virDomainGetInfo} + {@code virDomainMemoryStats}); which one works
 * is found out on the first poll and remembered for the connection (the test driver has no balloon group). A
 * running domain that the bulk call returns without guest statistics (QEMU could not take its job this time) is
 * read on its own. The live XML, for the balloon model and stats period, goes through a {@link BalloonConfigCache}
 * that re-reads a domain's XML when its id changes, when its frozen values start moving, or every
 * {@value #XML_REFRESH_POLLS} polls.
 */
public final class LibvirtReader {
    private static final Logger log = LoggerFactory.getLogger(LibvirtReader.class);
    /** virConnectListAllDomains flags: VIR_CONNECT_LIST_DOMAINS_ACTIVE. */
    private static final int LIST_ACTIVE = 1;
    /** A domain's live XML is re-read at the latest every this many polls (5 minutes at the default 10 s). */
    public static final int XML_REFRESH_POLLS = 30;

    /** Where the domain statistics come from. */
    public enum StatsSource {
        /** One bulk call where the driver supports the balloon group, else per-domain calls. */
        AUTO,
        /** Per-domain calls only. */
        PER_DOMAIN,
        /** The bulk call only, with whatever groups the driver answers (for measurements). */
        BULK
    }

    /**
     * One poll's raw facts.
     *
     * @param bulk whether the statistics came from virConnectGetAllDomainStats
     */
    public record Poll(HostSnapshot host, List<DomainSnapshot> domains, int vanishedDomains, boolean bulk) {}

    private final LibvirtSession session;
    private final StatsSource source;
    private final BalloonConfigCache balloons = new BalloonConfigCache(XML_REFRESH_POLLS);
    private boolean bulkUnsupported;
    private boolean nodeMemoryStatsSupported = true;

    public LibvirtReader(LibvirtSession session) {
        this(session, StatsSource.AUTO);
    }

    public LibvirtReader(LibvirtSession session, StatsSource source) {
        this.session = session;
        this.source = source;
    }

    public LibvirtSession session() {
        return session;
    }

    /** Whether the next poll will use the bulk call. */
    public boolean usesBulkStats() {
        return source == StatsSource.BULK || (source == StatsSource.AUTO && !bulkUnsupported);
    }

    /** Makes the next poll re-read domain {@code uuid}'s live XML (e.g. after setting its stats period). */
    public void forgetBalloonConfig(String uuid) {
        balloons.invalidate(uuid);
    }

    /** Live XML reads so far on this connection. */
    public long xmlReads() {
        return balloons.xmlReads();
    }

    /** Reads the host and its domains: only running ones, or also defined-but-inactive ones. */
    public Poll read(boolean includeInactive) throws LibvirtUnavailableException {
        balloons.startPoll(Instant.now().getEpochSecond());
        Domains domains = usesBulkStats() ? readBulk(includeInactive) : null;
        boolean bulk = domains != null;
        if (domains == null) {
            domains = readEach(includeInactive);
        }
        Set<String> uuids = new HashSet<>();
        int running = 0;
        for (DomainSnapshot d : domains.snapshots) {
            uuids.add(d.uuid());
            if (d.state() == DomainState.RUNNING || d.state() == DomainState.BLOCKED || d.state() == DomainState.PAUSED) {
                running++;
            }
        }
        balloons.retainOnly(uuids);
        int runningVms = running;
        HostSnapshot host = session.call("read host", c -> readHost(c, runningVms));
        return new Poll(host, domains.snapshots, domains.vanished, bulk);
    }

    /** Snapshots and the count of domains that vanished while being read. */
    private static final class Domains {
        final List<DomainSnapshot> snapshots = new ArrayList<>();
        int vanished;
    }

    /** The bulk path; null when the driver turns out not to support it (remembered for this connection). */
    private Domains readBulk(boolean includeInactive) throws LibvirtUnavailableException {
        boolean enforce = source == StatsSource.AUTO;
        AllDomainStats.Result result = session.call("virConnectGetAllDomainStats", c -> {
            try {
                return AllDomainStats.read(NativeHandles.of(c), includeInactive, enforce, balloons);
            } catch (AllDomainStats.Unsupported e) {
                log.debug("bulk stats on {}: {}", session.uri(), e.getMessage());
                return null;
            }
        });
        if (result == null) {
            bulkUnsupported = true;
            log.debug("{} (driver {}) has no bulk balloon statistics; reading domains one by one on this connection",
                    session.uri(), session.driverType());
            return null;
        }
        Domains domains = new Domains();
        domains.snapshots.addAll(result.domains());
        domains.vanished = result.vanished();
        for (String uuid : result.readAlone()) {
            DomainSnapshot alone = session.call("read domain " + uuid, c -> readDomain(lookup(c, uuid)));
            if (alone == null) {
                domains.vanished++;
            } else {
                domains.snapshots.add(alone);
            }
        }
        return domains;
    }

    private Domains readEach(boolean includeInactive) throws LibvirtUnavailableException {
        Domain[] all = session.call("listAllDomains", c -> c.listAllDomains(includeInactive ? 0 : LIST_ACTIVE));
        Domains domains = new Domains();
        for (Domain domain : all) {
            DomainSnapshot snapshot = session.call("read domain", c -> readDomain(domain));
            if (snapshot == null) {
                domains.vanished++;
            } else {
                domains.snapshots.add(snapshot);
            }
        }
        return domains;
    }

    private static Domain lookup(Connect connect, String uuid) throws LibvirtException {
        try {
            return connect.domainLookupByUUIDString(uuid);
        } catch (LibvirtException e) {
            if (isNoDomain(e)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Reads one domain with the per-domain calls, or returns null when it disappeared since it was listed. Frees the
     * handle. {@code virDomainGetID}, {@code GetName} and {@code GetUUIDString} are local; {@code GetInfo},
     * {@code MemoryStats} and (on a cache miss) {@code GetXMLDesc} go to the daemon.
     */
    DomainSnapshot readDomain(Domain domain) throws LibvirtException {
        if (domain == null) {
            return null;
        }
        try {
            DomainInfo info = domain.getInfo();
            int id = domain.getID();
            RawMemoryStats stats = id == -1 ? RawMemoryStats.NONE : memoryStats(domain);
            String uuid = domain.getUUIDString();
            BalloonConfig balloon = balloons.lookup(uuid, id, stats.orNull(MemoryStatTag.LAST_UPDATE),
                    () -> domain.getXMLDesc(0));
            return new DomainSnapshot(uuid, domain.getName(), DomainStates.of(info.state), info.maxMem, info.memory,
                    stats, balloon, balloons.nova(uuid));
        } catch (LibvirtException e) {
            if (isNoDomain(e)) {
                return null;
            }
            throw e;
        } finally {
            domain.free();
        }
    }

    /** All 13 tags; none when the domain stopped running since it was listed. */
    private static RawMemoryStats memoryStats(Domain domain) throws LibvirtException {
        try {
            return stats(domain.memoryStats(MemoryStatTag.COUNT));
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_OPERATION_INVALID) {
                return RawMemoryStats.NONE;
            }
            throw e;
        }
    }

    private static boolean isNoDomain(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    static RawMemoryStats stats(MemoryStatistic[] statistics) {
        int[] tags = new int[statistics.length];
        long[] values = new long[statistics.length];
        for (int i = 0; i < statistics.length; i++) {
            tags[i] = statistics[i].getTag();
            values[i] = statistics[i].getValue();
        }
        return RawMemoryStats.fromTags(tags, values);
    }

    HostSnapshot readHost(Connect connect, int runningVms) throws LibvirtException {
        NodeInfo node = connect.nodeInfo();
        Map<String, Long> memory = nodeMemoryStatsSupported ? nodeMemoryStats(connect) : Map.of();
        if (memory.isEmpty()) {
            nodeMemoryStatsSupported = false; // e.g. the test driver: don't ask again on this connection
        }
        Long free = memory.get("free");
        if (free == null) {
            free = freeMemoryKiB(connect);
        }
        long total = memory.getOrDefault("total", node.memory);
        return new HostSnapshot(connect.getHostName(), total, free, memory.get("cached"), memory.get("buffers"),
                node.cpus, runningVms);
    }

    /** virNodeGetFreeMemory in KiB, or null where the driver cannot say (a test-driver node without NUMA cells). */
    private static Long freeMemoryKiB(Connect connect) {
        try {
            return connect.getFreeMemory() / 1024;
        } catch (LibvirtException e) {
            return null;
        }
    }

    /** virNodeGetMemoryStats over all cells, in KiB by field name; empty when the driver does not support it. */
    static Map<String, Long> nodeMemoryStats(Connect connect) {
        LibvirtNative lib = LibvirtNative.INSTANCE;
        IntByReference count = new IntByReference(0);
        com.sun.jna.Pointer conn = NativeHandles.of(connect);
        if (lib.virNodeGetMemoryStats(conn, LibvirtNative.ALL_CELLS, (com.sun.jna.Pointer) null, count, 0) < 0
                || count.getValue() <= 0) {
            return Map.of();
        }
        LibvirtNative.NodeMemoryStats first = new LibvirtNative.NodeMemoryStats();
        LibvirtNative.NodeMemoryStats[] params = (LibvirtNative.NodeMemoryStats[]) first.toArray(count.getValue());
        if (lib.virNodeGetMemoryStats(conn, LibvirtNative.ALL_CELLS, first, count, 0) < 0) {
            return Map.of();
        }
        Map<String, Long> byName = new HashMap<>();
        for (int i = 0; i < count.getValue(); i++) {
            params[i].read();
            byName.put(params[i].name(), params[i].value);
        }
        return byName;
    }
}
