package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.AVAILABLE;
import static io.memdrs.collector.model.MemoryStatTag.LAST_UPDATE;
import static io.memdrs.collector.model.MemoryStatTag.MAJOR_FAULT;
import static io.memdrs.collector.model.MemoryStatTag.UNUSED;
import static io.memdrs.collector.model.MemoryStatTag.USABLE;
import static io.memdrs.collector.model.Vms.NOW;
import static io.memdrs.collector.model.Vms.NOW_SECONDS;
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
import io.memdrs.avro.VmMemorySample;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One case per stats health, through the public mapper. */
class HealthClassificationTest {

    private final VmSampleMapper mapper = new VmSampleMapper("c1", "h1", true);

    private VmMemorySample map(DomainSnapshot domain) {
        return mapper.map(domain, NOW, null);
    }

    private static void assertHintContains(VmMemorySample sample, String... parts) {
        for (String part : parts) {
            assertTrue(sample.getHint().contains(part), () -> "hint lacks '" + part + "': " + sample.getHint());
        }
    }

    @Test
    void shouldReportOkWhenFreshCompleteStatsArrive() {
        VmMemorySample sample = map(running(linuxGuest(), VIRTIO_10));

        assertEquals(StatsHealth.OK, sample.getHealth());
        assertHintContains(sample, "VM web-1", "last_update 5 s ago", "period 10 s");
    }

    @Test
    void shouldTreatABlockedDomainAsRunning() {
        VmMemorySample sample = map(domain(DomainState.BLOCKED, linuxGuest(), VIRTIO_10));

        assertEquals(StatsHealth.OK, sample.getHealth());
    }

    @Test
    void shouldFlagNotRunningWhenDomainIsPaused() {
        VmMemorySample sample = map(domain(DomainState.PAUSED, linuxGuest(), VIRTIO_10));

        assertEquals(StatsHealth.NOT_RUNNING, sample.getHealth());
        assertHintContains(sample, "VM web-1 is paused", "virsh resume web-1");
    }

    @Test
    void shouldFlagNotRunningWhenDomainIsShutOff() {
        VmMemorySample sample = map(domain(DomainState.SHUTOFF, Map.of(), VIRTIO_10));

        assertEquals(StatsHealth.NOT_RUNNING, sample.getHealth());
        assertHintContains(sample, "shut off", "virsh start web-1");
    }

    @Test
    void shouldFlagNoBalloonWhenDomainHasNoMemballoon() {
        VmMemorySample sample = map(running(Map.of(), BalloonConfig.ABSENT));

        assertEquals(StatsHealth.NO_BALLOON, sample.getHealth());
        assertHintContains(sample, "VM web-1", "no <memballoon> device",
                "add <memballoon model='virtio'><stats period='10'/></memballoon>");
    }

    @Test
    void shouldFlagNoBalloonWhenMemballoonModelIsNone() {
        VmMemorySample sample = map(running(Map.of(), new BalloonConfig("none", 0)));

        assertEquals(StatsHealth.NO_BALLOON, sample.getHealth());
        assertHintContains(sample, "<memballoon model='none'>", "replace it with <memballoon model='virtio'>");
    }

    @Test
    void shouldFlagInvalidWhenUnusedExceedsAvailable() {
        VmMemorySample sample = map(running(with(linuxGuest(), UNUSED, 5_000_000), VIRTIO_10));

        assertEquals(StatsHealth.INVALID, sample.getHealth());
        assertHintContains(sample, "unused 5000000 KiB > available 4030000 KiB", "balloon driver");
    }

    @Test
    void shouldFlagInvalidWhenUsableExceedsAvailable() {
        VmMemorySample sample = map(running(with(linuxGuest(), USABLE, 4_030_001), VIRTIO_10));

        assertEquals(StatsHealth.INVALID, sample.getHealth());
        assertHintContains(sample, "usable 4030001 KiB > available 4030000 KiB");
    }

    @Test
    void shouldFlagInvalidWhenAvailableIsZero() {
        Map<MemoryStatTag, Long> stats = with(with(with(linuxGuest(), AVAILABLE, 0), UNUSED, 0), USABLE, 0);

        VmMemorySample sample = map(running(stats, VIRTIO_10));

        assertEquals(StatsHealth.INVALID, sample.getHealth());
        assertHintContains(sample, "available is 0 KiB");
    }

    @Test
    void shouldFlagInvalidWhenAValueIsNegative() {
        VmMemorySample sample = map(running(with(linuxGuest(), MAJOR_FAULT, -1), VIRTIO_10));

        assertEquals(StatsHealth.INVALID, sample.getHealth());
        assertHintContains(sample, "major_fault is negative (-1)");
    }

    @Test
    void shouldFlagInvalidWhenLastUpdateIsInTheFutureAndPointAtTheClock() {
        VmMemorySample sample = map(running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS + 3600), VIRTIO_10));

        assertEquals(StatsHealth.INVALID, sample.getHealth());
        assertHintContains(sample, "last_update is 3600 s in the future", "NTP");
        assertFalse(sample.getHint().contains("driver"), sample.getHint());
    }

    @Test
    void shouldAskForBothFixesWhenValuesAndClockDisagree() {
        Map<MemoryStatTag, Long> stats = with(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS + 3600), UNUSED, 5_000_000);

        VmMemorySample sample = map(running(stats, VIRTIO_10));

        assertEquals(StatsHealth.INVALID, sample.getHealth());
        assertHintContains(sample, "unused 5000000 KiB > available", "in the future", "balloon driver", "NTP");
    }

    @Test
    void shouldTolerateLastUpdateSlightlyAheadOfTheHostClock() {
        VmMemorySample sample = map(running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS + 30), VIRTIO_10));

        assertEquals(StatsHealth.OK, sample.getHealth());
    }

    @Test
    void shouldFlagNeverReportedWhenGuestHasNoBalloonDriver() {
        VmMemorySample sample = map(running(silentGuest(), VIRTIO_10));

        assertEquals(StatsHealth.NEVER_REPORTED, sample.getHealth());
        assertHintContains(sample, "VM web-1", "last_update is 0", "modprobe virtio_balloon", "blnsvr");
    }

    @Test
    void shouldFlagNeverReportedWhenLastUpdateIsAbsent() {
        VmMemorySample sample = map(running(without(silentGuest(), LAST_UPDATE), VIRTIO_10));

        assertEquals(StatsHealth.NEVER_REPORTED, sample.getHealth());
        assertHintContains(sample, "no last_update");
    }

    @Test
    void shouldFlagFrozenStatsWhenNoPeriodIsSet() {
        VmMemorySample sample = map(running(linuxGuest(), VIRTIO_NO_PERIOD));

        assertEquals(StatsHealth.STATS_PERIOD_DISABLED, sample.getHealth());
        assertEquals("VM web-1: balloon has no stats period: values frozen since the guest driver loaded;"
                + " set <stats period='10'/> in the domain XML or run:"
                + " memdrs collector enable-stats --period 10 --domain web-1", sample.getHint());
    }

    @Test
    void shouldFlagStaleWhenLastUpdateIsOlderThanThreePeriods() {
        VmMemorySample sample = map(running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS - 95), VIRTIO_10));

        assertEquals(StatsHealth.STALE, sample.getHealth());
        assertHintContains(sample, "VM web-1", "last_update is 95 s old", "3 x period 10 s = 30 s",
                "enable-stats --period 10 --domain web-1");
    }

    @Test
    void shouldNotFlagStaleAtExactlyThreePeriods() {
        VmMemorySample sample = map(running(with(linuxGuest(), LAST_UPDATE, NOW_SECONDS - 30), VIRTIO_10));

        assertEquals(StatsHealth.OK, sample.getHealth());
    }

    @Test
    void shouldFlagPartialWhenGuestKernelReportsNoUsable() {
        VmMemorySample sample = map(running(without(linuxGuest(), USABLE), VIRTIO_10));

        assertEquals(StatsHealth.PARTIAL, sample.getHealth());
        assertHintContains(sample, "no usable", "older than 4.6", "available - unused");
    }

    @Test
    void shouldFlagPartialWhenGuestReportsNoAvailable() {
        VmMemorySample sample = map(running(without(linuxGuest(), AVAILABLE), VIRTIO_10));

        assertEquals(StatsHealth.PARTIAL, sample.getHealth());
        assertHintContains(sample, "no available", "host RSS");
    }
}
