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
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Test fixtures: domains as libvirt reports them in the situations the mapper must tell apart. */
final class Vms {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final long NOW_SECONDS = NOW.getEpochSecond();
    static final String UUID = "6f1c2a7e-1b2d-4c3e-9f40-5a6b7c8d9e0f";
    static final String NAME = "web-1";
    static final long MAX_KIB = 8_388_608;
    static final long CURRENT_KIB = 4_194_304;
    static final BalloonConfig VIRTIO_10 = new BalloonConfig("virtio", 10);
    static final BalloonConfig VIRTIO_NO_PERIOD = new BalloonConfig("virtio", 0);
    /** The libvirt test driver's constant last_update. */
    static final long TEST_DRIVER_LAST_UPDATE = 627_319_920L;

    private Vms() {
    }

    /** A Linux guest, kernel 4.6 or later, stats period 10 s, refreshed 5 s ago. */
    static Map<MemoryStatTag, Long> linuxGuest() {
        Map<MemoryStatTag, Long> m = new EnumMap<>(MemoryStatTag.class);
        m.put(SWAP_IN, 0L);
        m.put(SWAP_OUT, 0L);
        m.put(MAJOR_FAULT, 812L);
        m.put(MINOR_FAULT, 1_204_331L);
        m.put(UNUSED, 1_500_000L);
        m.put(AVAILABLE, 4_030_000L);
        m.put(ACTUAL_BALLOON, CURRENT_KIB);
        m.put(RSS, 3_100_000L);
        m.put(USABLE, 2_800_000L);
        m.put(LAST_UPDATE, NOW_SECONDS - 5);
        m.put(DISK_CACHES, 1_200_000L);
        m.put(HUGETLB_PGALLOC, 0L);
        m.put(HUGETLB_PGFAIL, 0L);
        return m;
    }

    /** A guest without a balloon driver, or Windows without blnsvr: only actual, rss and last_update 0. */
    static Map<MemoryStatTag, Long> silentGuest() {
        Map<MemoryStatTag, Long> m = new EnumMap<>(MemoryStatTag.class);
        m.put(ACTUAL_BALLOON, CURRENT_KIB);
        m.put(RSS, 3_100_000L);
        m.put(LAST_UPDATE, 0L);
        return m;
    }

    /** What the libvirt test driver makes up from currentMemory. */
    static Map<MemoryStatTag, Long> testDriverGuest(long currentKiB) {
        Map<MemoryStatTag, Long> m = new EnumMap<>(MemoryStatTag.class);
        m.put(UNUSED, currentKiB / 2);
        m.put(AVAILABLE, currentKiB);
        m.put(ACTUAL_BALLOON, currentKiB);
        m.put(RSS, currentKiB / 2);
        m.put(USABLE, currentKiB / 2);
        m.put(LAST_UPDATE, TEST_DRIVER_LAST_UPDATE);
        m.put(DISK_CACHES, currentKiB / 8);
        return m;
    }

    static Map<MemoryStatTag, Long> with(Map<MemoryStatTag, Long> stats, MemoryStatTag tag, long value) {
        Map<MemoryStatTag, Long> m = new EnumMap<>(stats);
        m.put(tag, value);
        return m;
    }

    static Map<MemoryStatTag, Long> without(Map<MemoryStatTag, Long> stats, MemoryStatTag... tags) {
        Map<MemoryStatTag, Long> m = new EnumMap<>(stats);
        for (MemoryStatTag tag : tags) {
            m.remove(tag);
        }
        return m;
    }

    static DomainSnapshot running(Map<MemoryStatTag, Long> stats, BalloonConfig balloon) {
        return domain(DomainState.RUNNING, stats, balloon);
    }

    static DomainSnapshot domain(DomainState state, Map<MemoryStatTag, Long> stats, BalloonConfig balloon) {
        return new DomainSnapshot(UUID, NAME, state, MAX_KIB, CURRENT_KIB, RawMemoryStats.of(stats), balloon);
    }
}
