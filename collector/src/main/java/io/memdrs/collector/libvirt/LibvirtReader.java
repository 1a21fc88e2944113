package io.memdrs.collector.libvirt;

import com.sun.jna.ptr.IntByReference;
import io.memdrs.avro.DomainState;
import io.memdrs.collector.host.HostSnapshot;
import io.memdrs.collector.model.BalloonConfig;
import io.memdrs.collector.model.BalloonXml;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.MemoryStatTag;
import io.memdrs.collector.model.RawMemoryStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.MemoryStatistic;
import org.libvirt.NodeInfo;

/**
 * Reads one poll's worth of raw facts from a libvirt connection: every domain's info, balloon statistics (all 13
 * tags) and live balloon configuration, and the host's memory. No interpretation happens here; a domain that
 * vanishes mid-poll is skipped and counted.
 */
public final class LibvirtReader {
    /** virConnectListAllDomains flags: VIR_CONNECT_LIST_DOMAINS_ACTIVE. */
    private static final int LIST_ACTIVE = 1;

    /** One poll's raw facts. */
    public record Poll(HostSnapshot host, List<DomainSnapshot> domains, int vanishedDomains) {}

    private final LibvirtSession session;
    private boolean nodeMemoryStatsSupported = true;

    public LibvirtReader(LibvirtSession session) {
        this.session = session;
    }

    public LibvirtSession session() {
        return session;
    }

    /** Reads the host and its domains: only running ones, or also defined-but-inactive ones. */
    public Poll read(boolean includeInactive) throws LibvirtUnavailableException {
        Domain[] domains = session.call("listAllDomains", c -> c.listAllDomains(includeInactive ? 0 : LIST_ACTIVE));
        List<DomainSnapshot> snapshots = new ArrayList<>(domains.length);
        int vanished = 0;
        int running = 0;
        for (Domain domain : domains) {
            DomainSnapshot snapshot = session.call("read domain", c -> readDomain(domain));
            if (snapshot == null) {
                vanished++;
                continue;
            }
            snapshots.add(snapshot);
            if (snapshot.state() == DomainState.RUNNING || snapshot.state() == DomainState.BLOCKED
                    || snapshot.state() == DomainState.PAUSED) {
                running++;
            }
        }
        int runningVms = running;
        HostSnapshot host = session.call("read host", c -> readHost(c, runningVms));
        return new Poll(host, snapshots, vanished);
    }

    /** Reads one domain, or returns null when it disappeared since it was listed. Frees the handle. */
    static DomainSnapshot readDomain(Domain domain) throws LibvirtException {
        try {
            DomainInfo info = domain.getInfo();
            DomainState state = DomainStates.of(info.state);
            boolean active = domain.isActive() == 1;
            RawMemoryStats stats = active ? stats(domain.memoryStats(MemoryStatTag.COUNT)) : RawMemoryStats.NONE;
            BalloonConfig balloon = BalloonXml.parse(domain.getXMLDesc(0));
            return new DomainSnapshot(domain.getUUIDString(), domain.getName(), state, info.maxMem, info.memory, stats, balloon);
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == org.libvirt.Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return null;
            }
            throw e;
        } finally {
            domain.free();
        }
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
