package io.memdrs.collector.model;

/** libvirt's virDomainMemoryStatTags, in tag order: {@code Domain.memoryStats} returns these numbers, no names. */
public enum MemoryStatTag {
    SWAP_IN, SWAP_OUT, MAJOR_FAULT, MINOR_FAULT, UNUSED, AVAILABLE, ACTUAL_BALLOON, RSS, USABLE, LAST_UPDATE,
    DISK_CACHES, HUGETLB_PGALLOC, HUGETLB_PGFAIL;

    /** Number of tags libvirt knows; ask {@code memoryStats} for this many or it silently drops some. */
    public static final int COUNT = values().length;

    public int tag() {
        return ordinal();
    }

    public static MemoryStatTag ofTag(int tag) {
        return tag >= 0 && tag < COUNT ? values()[tag] : null;
    }
}
