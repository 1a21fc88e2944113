package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.DISK_CACHES;
import static io.memdrs.collector.model.MemoryStatTag.HUGETLB_PGALLOC;
import static io.memdrs.collector.model.MemoryStatTag.HUGETLB_PGFAIL;
import static io.memdrs.collector.model.MemoryStatTag.SWAP_IN;
import static io.memdrs.collector.model.MemoryStatTag.USABLE;
import static io.memdrs.collector.model.Vms.CURRENT_KIB;
import static io.memdrs.collector.model.Vms.MAX_KIB;
import static io.memdrs.collector.model.Vms.NAME;
import static io.memdrs.collector.model.Vms.NOW;
import static io.memdrs.collector.model.Vms.NOW_SECONDS;
import static io.memdrs.collector.model.Vms.UUID;
import static io.memdrs.collector.model.Vms.VIRTIO_10;
import static io.memdrs.collector.model.Vms.VIRTIO_NO_PERIOD;
import static io.memdrs.collector.model.Vms.linuxGuest;
import static io.memdrs.collector.model.Vms.running;
import static io.memdrs.collector.model.Vms.silentGuest;
import static io.memdrs.collector.model.Vms.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every field of the sample: identity, raw stats as reported, balloon configuration. */
class VmSampleMapperTest {

    private final VmSampleMapper mapper = new VmSampleMapper("az-1", "compute-07", true);

    @Test
    void shouldStampIdentityStateAndSampleTime() {
        VmMemorySample sample = mapper.map(running(linuxGuest(), VIRTIO_10), NOW.plusMillis(123), null);

        assertEquals("az-1", sample.getCluster());
        assertEquals("compute-07", sample.getHost());
        assertEquals(UUID, sample.getVmUuid());
        assertEquals(NAME, sample.getVmName());
        assertEquals(NOW.toEpochMilli() + 123, sample.getSampleTimeMillis());
        assertEquals(DomainState.RUNNING, sample.getDomainState());
        assertEquals(MAX_KIB, sample.getMaxMemoryKiB());
        assertEquals(CURRENT_KIB, sample.getCurrentMemoryKiB());
    }

    @Test
    void shouldCopyEveryRawStatAsReported() {
        VmMemorySample sample = mapper.map(running(linuxGuest(), VIRTIO_10), NOW, null);

        assertEquals(0L, sample.getSwapInKiB());
        assertEquals(0L, sample.getSwapOutKiB());
        assertEquals(812L, sample.getMajorFaults());
        assertEquals(1_204_331L, sample.getMinorFaults());
        assertEquals(1_500_000L, sample.getUnusedKiB());
        assertEquals(4_030_000L, sample.getAvailableKiB());
        assertEquals(CURRENT_KIB, sample.getActualKiB());
        assertEquals(3_100_000L, sample.getRssKiB());
        assertEquals(2_800_000L, sample.getUsableKiB());
        assertEquals(NOW_SECONDS - 5, sample.getLastUpdateEpochSeconds());
        assertEquals(1_200_000L, sample.getDiskCachesKiB());
        assertEquals(0L, sample.getHugetlbPgalloc());
        assertEquals(0L, sample.getHugetlbPgfail());
    }

    @Test
    void shouldKeepAbsentStatsNullRatherThanZero() {
        VmMemorySample sample = mapper.map(running(silentGuest(), VIRTIO_10), NOW, null);

        assertNull(sample.getSwapInKiB());
        assertNull(sample.getUnusedKiB());
        assertNull(sample.getAvailableKiB());
        assertNull(sample.getUsableKiB());
        assertNull(sample.getDiskCachesKiB());
        assertEquals(0L, sample.getLastUpdateEpochSeconds());
        assertEquals(CURRENT_KIB, sample.getActualKiB());
    }

    @Test
    void shouldKeepEachAbsentStatNullOnItsOwn() {
        VmMemorySample sample = mapper.map(
                running(without(linuxGuest(), SWAP_IN, USABLE, DISK_CACHES, HUGETLB_PGALLOC, HUGETLB_PGFAIL),
                        VIRTIO_10), NOW, null);

        assertNull(sample.getSwapInKiB());
        assertNull(sample.getUsableKiB());
        assertNull(sample.getDiskCachesKiB());
        assertNull(sample.getHugetlbPgalloc());
        assertNull(sample.getHugetlbPgfail());
        assertEquals(0L, sample.getSwapOutKiB());
    }

    @Test
    void shouldReportModelAndPeriodOfTheBalloon() {
        VmMemorySample sample = mapper.map(running(linuxGuest(), VIRTIO_10), NOW, null);

        assertEquals("virtio", sample.getBalloonModel());
        assertEquals(10, sample.getStatsPeriodSeconds());
    }

    @Test
    void shouldReportPeriodZeroForABalloonWithoutPeriod() {
        VmMemorySample sample = mapper.map(running(linuxGuest(), VIRTIO_NO_PERIOD), NOW, null);

        assertEquals("virtio", sample.getBalloonModel());
        assertEquals(0, sample.getStatsPeriodSeconds());
    }

    @Test
    void shouldReportNullModelAndPeriodWithoutMemballoon() {
        VmMemorySample sample = mapper.map(running(Map.of(), BalloonConfig.ABSENT), NOW, null);

        assertNull(sample.getBalloonModel());
        assertNull(sample.getStatsPeriodSeconds());
    }

    @Test
    void shouldKeepModelNoneAndItsPeriod() {
        VmMemorySample sample = mapper.map(running(Map.of(), new BalloonConfig("none", 0)), NOW, null);

        assertEquals("none", sample.getBalloonModel());
        assertEquals(0, sample.getStatsPeriodSeconds());
    }

    @Test
    void shouldReadMissingStatsBalloonAndStateAsNoneAbsentAndUnknown() {
        DomainSnapshot d = new DomainSnapshot(UUID, NAME, null, MAX_KIB, CURRENT_KIB, null, null);

        VmMemorySample sample = mapper.map(d, NOW, null);

        assertEquals(DomainState.UNKNOWN, sample.getDomainState());
        assertEquals(StatsHealth.NOT_RUNNING, sample.getHealth());
        assertNull(sample.getBalloonModel());
    }

    @Test
    void shouldRefuseADomainWithoutUuid() {
        DomainSnapshot d = new DomainSnapshot(null, NAME, DomainState.RUNNING, MAX_KIB, CURRENT_KIB,
                RawMemoryStats.NONE, BalloonConfig.ABSENT);

        assertThrows(IllegalArgumentException.class, () -> mapper.map(d, NOW, null));
    }

    @Test
    void shouldRefuseAnEmptyClusterOrHost() {
        assertThrows(IllegalArgumentException.class, () -> new VmSampleMapper(" ", "h1", true));
        assertThrows(IllegalArgumentException.class, () -> new VmSampleMapper("c1", null, true));
    }
}
