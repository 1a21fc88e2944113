package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.LAST_UPDATE;
import static io.memdrs.collector.model.MemoryStatTag.RSS;
import static io.memdrs.collector.model.MemoryStatTag.UNUSED;
import static io.memdrs.collector.model.MemoryStatTag.USABLE;
import static io.memdrs.collector.model.Vms.CURRENT_KIB;
import static io.memdrs.collector.model.Vms.MAX_KIB;
import static io.memdrs.collector.model.Vms.NAME;
import static io.memdrs.collector.model.Vms.NOW;
import static io.memdrs.collector.model.Vms.NOW_SECONDS;
import static io.memdrs.collector.model.Vms.UUID;
import static io.memdrs.collector.model.Vms.VIRTIO_10;
import static io.memdrs.collector.model.Vms.VIRTIO_NO_PERIOD;
import static io.memdrs.collector.model.Vms.domain;
import static io.memdrs.collector.model.Vms.linuxGuest;
import static io.memdrs.collector.model.Vms.running;
import static io.memdrs.collector.model.Vms.silentGuest;
import static io.memdrs.collector.model.Vms.with;
import static io.memdrs.collector.model.Vms.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where usageKiB comes from, and that untrustworthy guest values never drive it. */
class UsageDerivationTest {

    private final VmSampleMapper mapper = new VmSampleMapper("c1", "h1", true);

    private VmMemorySample map(DomainSnapshot domain) {
        return mapper.map(domain, NOW, null);
    }

    private static void assertUsage(long kib, UsageSource source, VmMemorySample sample) {
        assertEquals(source, sample.getUsageSource(), sample.getHint());
        assertEquals(kib, sample.getUsageKiB(), sample.getHint());
    }

    @Test
    void shouldDeriveUsageFromAvailableMinusUsable() {
        assertUsage(4_030_000 - 2_800_000, UsageSource.USABLE, map(running(linuxGuest(), VIRTIO_10)));
    }

    @Test
    void shouldDeriveUsageFromAvailableMinusUnusedForOldGuestKernels() {
        assertUsage(4_030_000 - 1_500_000, UsageSource.UNUSED, map(running(without(linuxGuest(), USABLE), VIRTIO_10)));
    }

    @Test
    void shouldUseHostRssWhenGuestNeverReported() {
        VmMemorySample sample = map(running(silentGuest(), VIRTIO_10));

        assertEquals(StatsHealth.NEVER_REPORTED, sample.getHealth());
        assertUsage(3_100_000, UsageSource.HOST_RSS, sample);
    }

    @Test
    void shouldUseAllocationWhenNothingIsReported() {
        VmMemorySample sample = map(running(Map.of(), BalloonConfig.ABSENT));

        assertUsage(CURRENT_KIB, UsageSource.ALLOCATED, sample);
    }

    @Test
    void shouldNotLetFrozenGuestValuesDriveUsage() {
        VmMemorySample sample = map(running(linuxGuest(), VIRTIO_NO_PERIOD));

        assertEquals(StatsHealth.STATS_PERIOD_DISABLED, sample.getHealth());
        assertUsage(3_100_000, UsageSource.HOST_RSS, sample);
    }

    @Test
    void shouldNotLetStaleGuestValuesDriveUsage() {
        VmMemorySample sample = map(running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS - 600), VIRTIO_10));

        assertEquals(StatsHealth.STALE, sample.getHealth());
        assertUsage(3_100_000, UsageSource.HOST_RSS, sample);
    }

    @Test
    void shouldNotLetInconsistentGuestValuesDriveUsage() {
        VmMemorySample sample = map(running(with(without(linuxGuest(), RSS), UNUSED, 9_000_000), VIRTIO_10));

        assertEquals(StatsHealth.INVALID, sample.getHealth());
        assertUsage(CURRENT_KIB, UsageSource.ALLOCATED, sample);
    }

    @Test
    void shouldFallBackToHostRssWhenGuestReportsNeitherUsableNorUnused() {
        VmMemorySample sample = map(running(without(linuxGuest(), USABLE, UNUSED), VIRTIO_10));

        assertEquals(StatsHealth.PARTIAL, sample.getHealth());
        assertUsage(3_100_000, UsageSource.HOST_RSS, sample);
    }

    @Test
    void shouldReportZeroUsageOnlyForAShutOffDomainThatHoldsNoMemory() {
        VmMemorySample sample = map(domain(DomainState.SHUTOFF, Map.of(), VIRTIO_10));

        assertUsage(0, UsageSource.ALLOCATED, sample);
    }

    @Test
    void shouldCountAPausedDomainAtItsHostRss() {
        VmMemorySample sample = map(domain(DomainState.PAUSED, linuxGuest(), VIRTIO_10));

        assertUsage(3_100_000, UsageSource.HOST_RSS, sample);
    }

    @Test
    void shouldCountASuspendedDomainWithoutStatsAtItsAllocation() {
        VmMemorySample sample = map(domain(DomainState.PMSUSPENDED, Map.of(), VIRTIO_10));

        assertUsage(CURRENT_KIB, UsageSource.ALLOCATED, sample);
    }

    @Test
    void shouldIgnoreAZeroRssAsUnknown() {
        VmMemorySample sample = map(running(with(silentGuest(), RSS, 0), VIRTIO_10));

        assertUsage(CURRENT_KIB, UsageSource.ALLOCATED, sample);
    }

    @Test
    void shouldFallBackToMaxMemoryWhenAllocationIsUnknown() {
        DomainSnapshot d = new DomainSnapshot(UUID, NAME, DomainState.RUNNING, MAX_KIB, 0,
                RawMemoryStats.NONE, BalloonConfig.ABSENT);

        assertUsage(MAX_KIB, UsageSource.ALLOCATED, map(d));
    }

    @Test
    void shouldNeverReportZeroUsageForADomainThatHoldsMemory() {
        Random random = new Random(20250301);
        DomainState[] states = DomainState.values();
        BalloonConfig[] balloons = {BalloonConfig.ABSENT, new BalloonConfig("none", 0), VIRTIO_NO_PERIOD, VIRTIO_10};
        for (int i = 0; i < 5_000; i++) {
            DomainState state = states[random.nextInt(states.length)];
            DomainSnapshot d = domain(state, randomStats(random), balloons[random.nextInt(balloons.length)]);

            VmMemorySample sample = map(d);

            String why = d + " -> " + sample;
            assertTrue(sample.getUsageKiB() >= 0, why);
            if (state != DomainState.SHUTOFF) {
                assertTrue(sample.getUsageKiB() > 0, why);
            }
            boolean guestTrusted = sample.getHealth() == StatsHealth.OK || sample.getHealth() == StatsHealth.PARTIAL;
            boolean guestSource = sample.getUsageSource() == UsageSource.USABLE
                    || sample.getUsageSource() == UsageSource.UNUSED;
            assertTrue(guestTrusted || !guestSource, why);
            assertFalse(sample.getHint().isBlank(), why);
            assertFalse(sample.getHint().contains("\n"), why);
            assertTrue(sample.getHint().contains(NAME), why);
        }
    }

    /** Plausible and implausible guest reports: each stat present or not, now and then negative or swapped. */
    private static Map<MemoryStatTag, Long> randomStats(Random random) {
        Map<MemoryStatTag, Long> m = new EnumMap<>(MemoryStatTag.class);
        long available = 1 + random.nextInt(16_000_000);
        long used = 1 + random.nextInt((int) available);
        putSometimes(random, m, MemoryStatTag.AVAILABLE, available);
        putSometimes(random, m, USABLE, available - used);
        putSometimes(random, m, UNUSED, Math.max(0, available - used - random.nextInt(1_000_000)));
        putSometimes(random, m, RSS, random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(16_000_000));
        putSometimes(random, m, LAST_UPDATE, switch (random.nextInt(4)) {
            case 0 -> 0L;
            case 1 -> NOW_SECONDS - random.nextInt(120);
            case 2 -> NOW_SECONDS + random.nextInt(7_200);
            default -> Vms.TEST_DRIVER_LAST_UPDATE;
        });
        if (random.nextInt(20) == 0) {
            m.put(MemoryStatTag.values()[random.nextInt(MemoryStatTag.COUNT)], -1L);
        }
        return m;
    }

    private static void putSometimes(Random random, Map<MemoryStatTag, Long> m, MemoryStatTag tag, long value) {
        if (random.nextInt(5) != 0) {
            m.put(tag, value);
        }
    }
}
