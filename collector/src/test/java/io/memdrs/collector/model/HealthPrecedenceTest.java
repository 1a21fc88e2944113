package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.LAST_UPDATE;
import static io.memdrs.collector.model.MemoryStatTag.RSS;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When several things are wrong at once, the first in the documented order wins. */
class HealthPrecedenceTest {

    private final VmSampleMapper mapper = new VmSampleMapper("c1", "h1", true);

    private StatsHealth health(DomainSnapshot domain) {
        return mapper.map(domain, NOW, null).getHealth();
    }

    @Test
    void shouldPreferNotRunningOverNoBalloon() {
        assertEquals(StatsHealth.NOT_RUNNING, health(domain(DomainState.PAUSED, Map.of(), BalloonConfig.ABSENT)));
    }

    @Test
    void shouldPreferNotRunningOverInvalidValues() {
        Map<MemoryStatTag, Long> broken = with(linuxGuest(), UNUSED, 9_999_999);

        assertEquals(StatsHealth.NOT_RUNNING, health(domain(DomainState.CRASHED, broken, VIRTIO_10)));
    }

    @Test
    void shouldPreferNoBalloonOverInvalidValues() {
        Map<MemoryStatTag, Long> broken = with(linuxGuest(), RSS, -1);

        assertEquals(StatsHealth.NO_BALLOON, health(running(broken, new BalloonConfig("none", 0))));
    }

    @Test
    void shouldPreferInvalidOverNeverReported() {
        Map<MemoryStatTag, Long> broken = with(silentGuest(), RSS, -1);

        assertEquals(StatsHealth.INVALID, health(running(broken, VIRTIO_10)));
    }

    @Test
    void shouldPreferInvalidOverDisabledPeriod() {
        Map<MemoryStatTag, Long> broken = with(linuxGuest(), USABLE, 9_999_999);

        assertEquals(StatsHealth.INVALID, health(running(broken, VIRTIO_NO_PERIOD)));
    }

    @Test
    void shouldPreferNeverReportedOverDisabledPeriodAndAskForBothFixes() {
        VmMemorySample sample = mapper.map(running(silentGuest(), VIRTIO_NO_PERIOD), NOW, null);

        assertEquals(StatsHealth.NEVER_REPORTED, sample.getHealth());
        assertTrue(sample.getHint().contains("virtio_balloon"), sample.getHint());
        assertTrue(sample.getHint().contains("enable-stats --period 10 --domain web-1"), sample.getHint());
    }

    @Test
    void shouldPreferDisabledPeriodOverStale() {
        Map<MemoryStatTag, Long> bootTime = with(linuxGuest(), LAST_UPDATE, NOW_SECONDS - 86_400);

        assertEquals(StatsHealth.STATS_PERIOD_DISABLED, health(running(bootTime, VIRTIO_NO_PERIOD)));
    }

    @Test
    void shouldPreferStaleOverPartial() {
        Map<MemoryStatTag, Long> oldKernelGoneQuiet =
                with(without(linuxGuest(), USABLE), LAST_UPDATE, NOW_SECONDS - 600);

        assertEquals(StatsHealth.STALE, health(running(oldKernelGoneQuiet, VIRTIO_10)));
    }

    @Test
    void shouldPreferPartialOverOk() {
        assertEquals(StatsHealth.PARTIAL, health(running(without(linuxGuest(), USABLE), VIRTIO_10)));
    }
}
