package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.LAST_UPDATE;
import static io.memdrs.collector.model.Vms.NOW;
import static io.memdrs.collector.model.Vms.NOW_SECONDS;
import static io.memdrs.collector.model.Vms.TEST_DRIVER_LAST_UPDATE;
import static io.memdrs.collector.model.Vms.VIRTIO_10;
import static io.memdrs.collector.model.Vms.linuxGuest;
import static io.memdrs.collector.model.Vms.running;
import static io.memdrs.collector.model.Vms.testDriverGuest;
import static io.memdrs.collector.model.Vms.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.UsageSource;
import io.memdrs.avro.VmMemorySample;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Freshness of last_update: against the clock when it can be trusted, and against the previous sample. */
class FreshnessTest {

    private final VmSampleMapper trusted = new VmSampleMapper("c1", "h1", true);
    private final VmSampleMapper testDriver = new VmSampleMapper("c1", "h1", false);

    @Test
    void shouldAcceptTestDriverStatsAndSayFreshnessWasNotChecked() {
        VmMemorySample sample = testDriver.map(running(testDriverGuest(2_097_152), VIRTIO_10), NOW, null);

        assertEquals(StatsHealth.OK, sample.getHealth());
        assertEquals(UsageSource.USABLE, sample.getUsageSource());
        assertEquals(1_048_576, sample.getUsageKiB());
        assertEquals(TEST_DRIVER_LAST_UPDATE, sample.getLastUpdateEpochSeconds());
        assertTrue(sample.getHint().contains("freshness not checked"), sample.getHint());
        assertTrue(sample.getHint().contains("no guest clock"), sample.getHint());
    }

    @Test
    void shouldFlagTheTestDriversConstantLastUpdateAsStaleWhenTheClockIsTrusted() {
        VmMemorySample sample = trusted.map(running(testDriverGuest(2_097_152), VIRTIO_10), NOW, null);

        assertEquals(StatsHealth.STALE, sample.getHealth());
    }

    @Test
    void shouldNotCallAFutureLastUpdateInvalidWhenTheClockIsUntrusted() {
        DomainSnapshot d = running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS + 86_400), VIRTIO_10);

        assertEquals(StatsHealth.OK, testDriver.map(d, NOW, null).getHealth());
    }

    @Test
    void shouldNotCompareWithThePreviousSampleWhenTheClockIsUntrusted() {
        DomainSnapshot d = running(testDriverGuest(2_097_152), VIRTIO_10);
        VmMemorySample previous = testDriver.map(d, NOW.minus(Duration.ofMinutes(10)), null);

        assertEquals(StatsHealth.OK, testDriver.map(d, NOW, previous).getHealth());
    }

    @Test
    void shouldFlagStaleWhenLastUpdateHasNotAdvancedSinceThePreviousSample() {
        // last_update slightly ahead of the host clock, so its age alone looks fine
        DomainSnapshot d = running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS + 20), VIRTIO_10);
        VmMemorySample previous = trusted.map(d, NOW.minusSeconds(40), null);
        assertEquals(StatsHealth.OK, previous.getHealth());

        VmMemorySample sample = trusted.map(d, NOW, previous);

        assertEquals(StatsHealth.STALE, sample.getHealth());
        assertTrue(sample.getHint().contains("has not advanced in the 40 s since the previous sample"),
                sample.getHint());
        assertEquals(UsageSource.HOST_RSS, sample.getUsageSource());
    }

    @Test
    void shouldStayStaleWhileLastUpdateStaysUnchanged() {
        DomainSnapshot d = running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS + 20), VIRTIO_10);
        VmMemorySample first = trusted.map(d, NOW.minusSeconds(50), null);
        VmMemorySample stale = trusted.map(d, NOW.minusSeconds(10), first);
        assertEquals(StatsHealth.STALE, stale.getHealth());

        assertEquals(StatsHealth.STALE, trusted.map(d, NOW, stale).getHealth());
    }

    @Test
    void shouldNotFlagStaleWhenLastUpdateIsUnchangedForLessThanThreePeriods() {
        DomainSnapshot d = running(linuxGuest(), VIRTIO_10);
        VmMemorySample previous = trusted.map(d, NOW.minusSeconds(10), null);

        assertEquals(StatsHealth.OK, trusted.map(d, NOW, previous).getHealth());
    }

    @Test
    void shouldRecoverOnceLastUpdateAdvancesAgain() {
        DomainSnapshot frozen = running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS + 20), VIRTIO_10);
        VmMemorySample first = trusted.map(frozen, NOW.minusSeconds(50), null);
        VmMemorySample stale = trusted.map(frozen, NOW.minusSeconds(10), first);
        assertEquals(StatsHealth.STALE, stale.getHealth());

        DomainSnapshot moving = running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS - 2), VIRTIO_10);

        assertEquals(StatsHealth.OK, trusted.map(moving, NOW, stale).getHealth());
    }

    @Test
    void shouldIgnoreAPreviousSampleOfAnotherVm() {
        DomainSnapshot d = running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS + 20), VIRTIO_10);
        DomainSnapshot otherVm = new DomainSnapshot("00000000-0000-0000-0000-000000000001", "web-2",
                d.state(), d.maxMemoryKiB(), d.currentMemoryKiB(), d.stats(), d.balloon());
        VmMemorySample other = trusted.map(otherVm, NOW.minusSeconds(600), null);

        assertEquals(StatsHealth.OK, trusted.map(d, NOW, other).getHealth());
    }

    @Test
    void shouldTellTheAgeOfFreshStats() {
        Instant now = NOW.plusMillis(900);

        VmMemorySample sample = trusted.map(running(linuxGuest(), VIRTIO_10), now, null);

        assertEquals("VM web-1: balloon stats OK, last_update 5 s ago (period 10 s)", sample.getHint());
    }
}
