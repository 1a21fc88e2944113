package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.ACTUAL_BALLOON;
import static io.memdrs.collector.model.MemoryStatTag.AVAILABLE;
import static io.memdrs.collector.model.MemoryStatTag.DISK_CACHES;
import static io.memdrs.collector.model.MemoryStatTag.HUGETLB_PGALLOC;
import static io.memdrs.collector.model.MemoryStatTag.HUGETLB_PGFAIL;
import static io.memdrs.collector.model.MemoryStatTag.LAST_UPDATE;
import static io.memdrs.collector.model.MemoryStatTag.MAJOR_FAULT;
import static io.memdrs.collector.model.MemoryStatTag.MINOR_FAULT;
import static io.memdrs.collector.model.MemoryStatTag.RSS;
import static io.memdrs.collector.model.MemoryStatTag.SWAP_IN;
import static io.memdrs.collector.model.MemoryStatTag.SWAP_OUT;
import static io.memdrs.collector.model.MemoryStatTag.UNUSED;
import static io.memdrs.collector.model.MemoryStatTag.USABLE;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.VmMemorySample;
import java.time.Instant;
import java.util.Objects;

/**
 * Turns what the collector read about one domain into a {@link VmMemorySample}: the raw statistics as reported
 * (absent stays null, never 0), the balloon configuration, the derived usage, the stats health and a one-line hint.
 *
 * <p>Pure and stateless apart from its configuration: the caller keeps each VM's previous sample and passes it
 * back, which lets the mapper see a {@code last_update} that stopped advancing.
 */
public final class VmSampleMapper {

    private final String cluster;
    private final String host;
    private final HealthClassifier classifier;

    /**
     * @param cluster the cluster id every sample carries
     * @param host the compute node name every sample carries
     * @param guestClockTrusted false when {@code last_update} does not follow a real clock (the libvirt test
     *                          driver reports a constant): freshness is then not checked and hints say so
     */
    public VmSampleMapper(String cluster, String host, boolean guestClockTrusted) {
        this.cluster = requireText(cluster, "cluster");
        this.host = requireText(host, "host");
        this.classifier = new HealthClassifier(guestClockTrusted);
    }

    /**
     * Maps one poll of one domain.
     *
     * @param domain what was read; null stats and balloon count as none, a null state as UNKNOWN
     * @param now when the statistics were read (host clock)
     * @param previous this VM's previous sample from this collector, or null; ignored when its UUID differs
     * @return the sample, every field set
     */
    public VmMemorySample map(DomainSnapshot domain, Instant now, VmMemorySample previous) {
        Objects.requireNonNull(now, "now");
        DomainSnapshot d = normalized(Objects.requireNonNull(domain, "domain"));
        Diagnosis diagnosis = classifier.classify(d, now, previous);
        Usage usage = UsageDeriver.derive(d, diagnosis.health());
        RawMemoryStats stats = d.stats();
        BalloonConfig balloon = d.balloon();
        return VmMemorySample.newBuilder()
                .setCluster(cluster)
                .setHost(host)
                .setVmUuid(d.uuid())
                .setVmName(d.name())
                .setSampleTimeMillis(now.toEpochMilli())
                .setDomainState(d.state())
                .setSwapInKiB(stats.orNull(SWAP_IN))
                .setSwapOutKiB(stats.orNull(SWAP_OUT))
                .setMajorFaults(stats.orNull(MAJOR_FAULT))
                .setMinorFaults(stats.orNull(MINOR_FAULT))
                .setUnusedKiB(stats.orNull(UNUSED))
                .setAvailableKiB(stats.orNull(AVAILABLE))
                .setActualKiB(stats.orNull(ACTUAL_BALLOON))
                .setRssKiB(stats.orNull(RSS))
                .setUsableKiB(stats.orNull(USABLE))
                .setLastUpdateEpochSeconds(stats.orNull(LAST_UPDATE))
                .setDiskCachesKiB(stats.orNull(DISK_CACHES))
                .setHugetlbPgalloc(stats.orNull(HUGETLB_PGALLOC))
                .setHugetlbPgfail(stats.orNull(HUGETLB_PGFAIL))
                .setBalloonModel(balloon.model())
                .setStatsPeriodSeconds(balloon.model() == null ? null : balloon.statsPeriodSeconds())
                .setMaxMemoryKiB(d.maxMemoryKiB())
                .setCurrentMemoryKiB(d.currentMemoryKiB())
                .setUsageKiB(usage.kib())
                .setUsageSource(usage.source())
                .setHealth(diagnosis.health())
                .setHint(Hints.hint(d, diagnosis, usage))
                .build();
    }

    private static DomainSnapshot normalized(DomainSnapshot d) {
        return new DomainSnapshot(
                requireText(d.uuid(), "domain uuid"),
                requireText(d.name(), "domain name"),
                d.state() == null ? DomainState.UNKNOWN : d.state(),
                d.maxMemoryKiB(),
                d.currentMemoryKiB(),
                d.stats() == null ? RawMemoryStats.NONE : d.stats(),
                d.balloon() == null ? BalloonConfig.ABSENT : d.balloon());
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }
}
