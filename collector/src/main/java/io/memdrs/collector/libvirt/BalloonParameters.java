package io.memdrs.collector.libvirt;

import io.memdrs.collector.model.MemoryStatTag;
import io.memdrs.collector.model.RawMemoryStats;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The "balloon" group of virConnectGetAllDomainStats, turned into the same {@link RawMemoryStats} that
 * virDomainMemoryStats gives per domain. {@code balloon.current} is the balloon's actual size (tag 6) and
 * {@code balloon.last-update} the guest's last refresh (tag 9); {@code balloon.maximum} is no balloon statistic
 * but the domain's maximum memory. Absent parameters stay absent. Pure.
 */
final class BalloonParameters {
    static final String CURRENT = "balloon.current";
    static final String MAXIMUM = "balloon.maximum";
    static final String RSS = "balloon.rss";
    static final String STATE = "state.state";

    private static final Map<MemoryStatTag, String> NAMES = new EnumMap<>(MemoryStatTag.class);

    static {
        NAMES.put(MemoryStatTag.SWAP_IN, "balloon.swap_in");
        NAMES.put(MemoryStatTag.SWAP_OUT, "balloon.swap_out");
        NAMES.put(MemoryStatTag.MAJOR_FAULT, "balloon.major_fault");
        NAMES.put(MemoryStatTag.MINOR_FAULT, "balloon.minor_fault");
        NAMES.put(MemoryStatTag.UNUSED, "balloon.unused");
        NAMES.put(MemoryStatTag.AVAILABLE, "balloon.available");
        NAMES.put(MemoryStatTag.ACTUAL_BALLOON, CURRENT);
        NAMES.put(MemoryStatTag.RSS, RSS);
        NAMES.put(MemoryStatTag.USABLE, "balloon.usable");
        NAMES.put(MemoryStatTag.LAST_UPDATE, "balloon.last-update");
        NAMES.put(MemoryStatTag.DISK_CACHES, "balloon.disk_caches");
        NAMES.put(MemoryStatTag.HUGETLB_PGALLOC, "balloon.hugetlb_pgalloc");
        NAMES.put(MemoryStatTag.HUGETLB_PGFAIL, "balloon.hugetlb_pgfail");
    }

    private BalloonParameters() {}

    /** The parameter name of a memory statistic tag in the bulk stats. */
    static String nameOf(MemoryStatTag tag) {
        return NAMES.get(tag);
    }

    /** The balloon statistics among {@code params}: every tag whose parameter is present. */
    static RawMemoryStats stats(TypedParameters params) {
        Map<MemoryStatTag, Long> values = new EnumMap<>(MemoryStatTag.class);
        NAMES.forEach((tag, name) -> {
            OptionalLong value = params.longValue(name);
            if (value.isPresent()) {
                values.put(tag, value.getAsLong());
            }
        });
        return RawMemoryStats.of(values);
    }

    /** Whether the driver answered the balloon group at all: QEMU always gives current and maximum. */
    static boolean hasBalloonGroup(TypedParameters params) {
        return params.has(MAXIMUM) && params.has(CURRENT);
    }

    /**
     * Whether a running domain's record carries the guest statistics. QEMU adds them (rss at least) only when it
     * could take the domain's job; a busy domain (e.g. migrating) comes back with current and maximum alone and is
     * read on its own instead.
     */
    static boolean hasGuestStats(TypedParameters params) {
        return params.has(RSS);
    }
}
