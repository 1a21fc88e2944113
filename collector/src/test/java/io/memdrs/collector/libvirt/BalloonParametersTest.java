package io.memdrs.collector.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.model.MemoryStatTag;
import io.memdrs.collector.model.RawMemoryStats;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bulk "balloon" group means what virDomainMemoryStats means, tag for tag (values as virsh domstats shows). */
class BalloonParametersTest {

    @Test
    void shouldMapEveryBalloonParameterToItsMemoryStatTag() {
        Map<String, Object> bulk = new LinkedHashMap<>();
        bulk.put("state.state", 1L);
        bulk.put("state.reason", 1L);
        bulk.put("balloon.current", 131_072L);
        bulk.put("balloon.maximum", 131_072L);
        bulk.put("balloon.swap_in", 0L);
        bulk.put("balloon.swap_out", 0L);
        bulk.put("balloon.major_fault", 0L);
        bulk.put("balloon.minor_fault", 61_442L);
        bulk.put("balloon.unused", 13_728L);
        bulk.put("balloon.available", 81_920L);
        bulk.put("balloon.usable", 17_364L);
        bulk.put("balloon.last-update", 1_795_638_151L);
        bulk.put("balloon.disk_caches", 43_172L);
        bulk.put("balloon.hugetlb_pgalloc", 0L);
        bulk.put("balloon.hugetlb_pgfail", 0L);
        bulk.put("balloon.rss", 229_960L);

        RawMemoryStats stats = BalloonParameters.stats(TypedParameters.of(bulk));

        Map<MemoryStatTag, Long> expected = new EnumMap<>(MemoryStatTag.class);
        expected.put(MemoryStatTag.SWAP_IN, 0L);
        expected.put(MemoryStatTag.SWAP_OUT, 0L);
        expected.put(MemoryStatTag.MAJOR_FAULT, 0L);
        expected.put(MemoryStatTag.MINOR_FAULT, 61_442L);
        expected.put(MemoryStatTag.UNUSED, 13_728L);
        expected.put(MemoryStatTag.AVAILABLE, 81_920L);
        expected.put(MemoryStatTag.ACTUAL_BALLOON, 131_072L);
        expected.put(MemoryStatTag.RSS, 229_960L);
        expected.put(MemoryStatTag.USABLE, 17_364L);
        expected.put(MemoryStatTag.LAST_UPDATE, 1_795_638_151L);
        expected.put(MemoryStatTag.DISK_CACHES, 43_172L);
        expected.put(MemoryStatTag.HUGETLB_PGALLOC, 0L);
        expected.put(MemoryStatTag.HUGETLB_PGFAIL, 0L);
        assertEquals(RawMemoryStats.of(expected), stats, "all 13 tags, balloon.maximum is no statistic");
        for (MemoryStatTag tag : MemoryStatTag.values()) {
            assertTrue(BalloonParameters.nameOf(tag).startsWith("balloon."), tag + " has a bulk name");
        }
    }

    @Test
    void shouldKeepAbsentStatisticsAbsentForAGuestWithoutDriver() {
        TypedParameters bulk = TypedParameters.of(Map.of("balloon.current", 131_072L, "balloon.maximum", 131_072L,
                "balloon.last-update", 0L, "balloon.rss", 202_916L));

        RawMemoryStats stats = BalloonParameters.stats(bulk);

        assertEquals(3, stats.asMap().size(), "actual, rss and last_update only: " + stats);
        assertEquals(0L, stats.orNull(MemoryStatTag.LAST_UPDATE));
        assertFalse(stats.has(MemoryStatTag.USABLE));
        assertTrue(BalloonParameters.hasBalloonGroup(bulk));
        assertTrue(BalloonParameters.hasGuestStats(bulk));
    }

    @Test
    void shouldTellAMissingBalloonGroupFromABusyDomain() {
        TypedParameters testDriver = TypedParameters.of(Map.of("state.state", 1L, "state.reason", 0L));
        TypedParameters busy = TypedParameters.of(Map.of("state.state", 1L, "balloon.current", 1L, "balloon.maximum", 2L));

        assertFalse(BalloonParameters.hasBalloonGroup(testDriver), "the test driver answers state only");
        assertTrue(BalloonParameters.hasBalloonGroup(busy));
        assertFalse(BalloonParameters.hasGuestStats(busy), "QEMU could not take the job: current/maximum only");
    }

    @Test
    void shouldMapStateNumbersToDomainStates() {
        assertEquals(io.memdrs.avro.DomainState.RUNNING, DomainStates.ofCode(1));
        assertEquals(io.memdrs.avro.DomainState.SHUTOFF, DomainStates.ofCode(5));
        assertEquals(io.memdrs.avro.DomainState.PMSUSPENDED, DomainStates.ofCode(7));
        assertEquals(io.memdrs.avro.DomainState.UNKNOWN, DomainStates.ofCode(8));
        assertEquals(io.memdrs.avro.DomainState.UNKNOWN, DomainStates.ofCode(-1));
    }
}
