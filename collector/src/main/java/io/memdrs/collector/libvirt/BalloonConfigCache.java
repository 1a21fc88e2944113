package io.memdrs.collector.libvirt;

import io.memdrs.collector.instance.NovaInstance;
import io.memdrs.collector.instance.NovaInstanceXml;
import io.memdrs.collector.model.BalloonConfig;
import io.memdrs.collector.model.BalloonXml;
import io.memdrs.collector.model.DomainXml;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The balloon configuration ({@code <memballoon>} model and stats period) of each domain's live XML, kept between
 * polls by domain UUID. Reading the XML costs a libvirt call per domain (on a real hypervisor an RPC and the
 * domain's lock) and it rarely changes, so a poll re-reads a domain's XML only when:
 * <ul>
 *   <li>the domain is new to the cache;</li>
 *   <li>its id changed: it was restarted (or started, or stopped), possibly with another definition;</li>
 *   <li>the cached balloon has no stats period but the guest's {@code last_update} moved: someone set a period
 *       live (e.g. {@code enable-stats} run elsewhere), since without one the values never refresh;</li>
 *   <li>the cached balloon has a stats period but {@code last_update} has not changed for more than
 *       {@value #LATE_PERIODS} periods (by the collector's clock, so that a hypervisor whose clock differs does
 *       not make every guest look late): the guest stopped reporting, or someone set the period to 0 live, and only
 *       the XML tells which. Read once per frozen {@code last_update} value, so a guest that stays silent costs one
 *       read, not one per poll;</li>
 *   <li>{@link #invalidate} was called for it (the collector set its period);</li>
 *   <li>it was read {@code refreshEvery} polls ago, to catch any other live change (device hot-plug, an
 *       {@code update-device}). The first re-read of each domain comes a per-domain 0 to {@code refreshEvery - 1}
 *       polls later than that, so that the periodic re-reads spread over polls instead of all falling on one.</li>
 * </ul>
 * The same read also gives nova's instance metadata ({@link #nova}), which changes no more often.
 * Not thread-safe: one poll at a time uses it, like the connection itself.
 */
public final class BalloonConfigCache {
    /** Where a domain's live XML comes from when the cache has to read it. */
    @FunctionalInterface
    public interface XmlSource<E extends Exception> {
        String xml() throws E;
    }

    /** A guest whose last report is older than this many stats periods is late: its XML is read again once. */
    public static final int LATE_PERIODS = 2;

    /**
     * @param lastUpdateSince when (poll time, epoch seconds) {@code lastUpdate} was first seen with its value
     * @param lateChecked the {@code last_update} value for which the XML was read while the guest was late, or null
     */
    private record Entry(int domainId, BalloonConfig config, NovaInstance nova, Long lastUpdate, long lastUpdateSince,
                         long readAtPoll, Long lateChecked) {}

    private final int refreshEvery;
    private final Map<String, Entry> entries = new HashMap<>();
    private long poll;
    private long pollEpochSeconds;
    private long reads;

    /** @param refreshEvery re-read a domain's XML at the latest after this many polls (at least 1) */
    public BalloonConfigCache(int refreshEvery) {
        if (refreshEvery < 1) {
            throw new IllegalArgumentException("refreshEvery must be at least 1, got " + refreshEvery);
        }
        this.refreshEvery = refreshEvery;
    }

    /** Marks the start of a poll at {@code nowEpochSeconds} (host clock): entries age by one poll. */
    public void startPoll(long nowEpochSeconds) {
        poll++;
        pollEpochSeconds = nowEpochSeconds;
    }

    /**
     * The balloon configuration of domain {@code uuid}, from the cache or, when one of the rules above says so, from
     * {@code source}.
     *
     * @param domainId the domain's id now (-1 when it is not running)
     * @param lastUpdate the guest's {@code last_update} read this poll, or null
     */
    public <E extends Exception> BalloonConfig lookup(String uuid, int domainId, Long lastUpdate, XmlSource<E> source)
            throws E {
        Entry entry = entries.get(uuid);
        long since = entry != null && Objects.equals(entry.lastUpdate(), lastUpdate) ? entry.lastUpdateSince()
                : pollEpochSeconds;
        if (entry != null && !stale(entry, domainId, lastUpdate, since)) {
            if (!Objects.equals(entry.lastUpdate(), lastUpdate)) {
                entries.put(uuid, new Entry(entry.domainId(), entry.config(), entry.nova(), lastUpdate, since,
                        entry.readAtPoll(), entry.lateChecked()));
            }
            return entry.config();
        }
        org.w3c.dom.Element root = DomainXml.root(source.xml());
        BalloonConfig config = BalloonXml.of(root);
        NovaInstance nova = NovaInstanceXml.of(root);
        reads++;
        long readAt = entry == null ? poll + spread(uuid) : poll;
        entries.put(uuid, new Entry(domainId, config, nova, lastUpdate, since, readAt,
                late(config, lastUpdate, since) ? lastUpdate : null));
        return config;
    }

    private boolean stale(Entry entry, int domainId, Long lastUpdate, long lastUpdateSince) {
        if (entry.domainId() != domainId || poll - entry.readAtPoll() >= refreshEvery) {
            return true;
        }
        boolean periodless = entry.config().present() && entry.config().statsPeriodSeconds() == 0;
        if (periodless) {
            return lastUpdate != null && entry.lastUpdate() != null && !lastUpdate.equals(entry.lastUpdate());
        }
        return late(entry.config(), lastUpdate, lastUpdateSince) && !lastUpdate.equals(entry.lateChecked());
    }

    /**
     * Whether a guest with this balloon has kept {@code lastUpdate} (a report it made) for more than
     * {@link #LATE_PERIODS} periods, as this poll sees it.
     */
    private boolean late(BalloonConfig config, Long lastUpdate, long lastUpdateSince) {
        int period = config.statsPeriodSeconds();
        return period > 0 && lastUpdate != null && lastUpdate > 0
                && pollEpochSeconds - lastUpdateSince > (long) LATE_PERIODS * period;
    }

    /** How many polls longer than usual a new domain's first interval lasts: 0 .. refreshEvery-1. */
    private long spread(String uuid) {
        return Math.floorMod(uuid.hashCode(), refreshEvery);
    }

    /**
     * Nova's instance metadata in the XML last read for domain {@code uuid} ({@link NovaInstance#NONE} when there
     * is none, or the domain is not in the cache).
     */
    public NovaInstance nova(String uuid) {
        Entry entry = entries.get(uuid);
        return entry == null ? NovaInstance.NONE : entry.nova();
    }

    /** Forgets domain {@code uuid}, so that the next lookup reads its XML. */
    public void invalidate(String uuid) {
        entries.remove(uuid);
    }

    /** Forgets every domain not in {@code uuids} (gone from the host). */
    public void retainOnly(Collection<String> uuids) {
        Set<String> keep = uuids instanceof Set<String> set ? set : new HashSet<>(uuids);
        entries.keySet().retainAll(keep);
    }

    /** XML reads so far (for tests and the benchmark). */
    public long xmlReads() {
        return reads;
    }

    public int size() {
        return entries.size();
    }
}
