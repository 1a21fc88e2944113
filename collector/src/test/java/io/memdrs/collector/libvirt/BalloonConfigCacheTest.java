package io.memdrs.collector.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.model.BalloonConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a domain's live XML is read again, and when the cached balloon configuration serves. */
class BalloonConfigCacheTest {
    private static final String UUID = "6d656d64-7273-4c61-8200-000000000002";
    private static final String FROZEN_XML = "<domain><devices><memballoon model='virtio'/></devices></domain>";
    private static final String LIVE_XML =
            "<domain><devices><memballoon model='virtio'><stats period='2'/></memballoon></devices></domain>";

    /** An XML source that counts how often it is read and can be switched to another XML. */
    private static final class Xml implements BalloonConfigCache.XmlSource<RuntimeException> {
        String xml = FROZEN_XML;
        int reads;

        @Override
        public String xml() {
            reads++;
            return xml;
        }
    }

    private final BalloonConfigCache cache = new BalloonConfigCache(30);
    private final Xml xml = new Xml();

    /** A poll at host time 110 s (last_update values below are guest times in the same seconds). */
    private BalloonConfig poll(int domainId, Long lastUpdate) {
        return pollAt(110, domainId, lastUpdate);
    }

    private BalloonConfig pollAt(long nowEpochSeconds, int domainId, Long lastUpdate) {
        cache.startPoll(nowEpochSeconds);
        return cache.lookup(UUID, domainId, lastUpdate, xml);
    }

    @Test
    void shouldReadTheXmlOfANewDomainAndServeItFromTheCacheAfterwards() {
        assertEquals(new BalloonConfig("virtio", 0), poll(5, 100L));
        assertEquals(new BalloonConfig("virtio", 0), poll(5, 100L));
        assertEquals(new BalloonConfig("virtio", 0), poll(5, 100L));
        assertEquals(1, xml.reads);
        assertEquals(1, cache.xmlReads());
    }

    @Test
    void shouldReadTheXmlAgainWhenTheDomainWasRestarted() {
        poll(5, 100L);
        xml.xml = LIVE_XML;
        assertEquals(new BalloonConfig("virtio", 2), poll(6, 100L), "a new id: restarted, maybe redefined");
        assertEquals(2, xml.reads);
    }

    @Test
    void shouldReadTheXmlAgainWhenFrozenValuesStartMovingBecauseAPeriodWasSetLive() {
        poll(5, 100L);
        poll(5, 100L);
        xml.xml = LIVE_XML;
        assertEquals(new BalloonConfig("virtio", 2), poll(5, 104L), "last_update moved on a balloon without period");
        assertEquals(2, xml.reads);
        poll(5, 106L);
        poll(5, 108L);
        assertEquals(2, xml.reads, "with a period set, moving values are expected");
    }

    @Test
    void shouldReadTheXmlOnceWhenAGuestWithAPeriodFallsSilentToLearnWhetherThePeriodWasDisabled() {
        xml.xml = LIVE_XML; // period 2 s
        pollAt(100, 5, 100L);
        pollAt(101, 5, 100L);
        pollAt(104, 5, 100L);
        assertEquals(1, xml.reads, "4 s without news is 2 periods: not late yet");
        xml.xml = FROZEN_XML; // someone ran dommemstat --period 0 --live
        assertEquals(new BalloonConfig("virtio", 0), pollAt(105, 5, 100L), "late: the XML tells why");
        assertEquals(2, xml.reads);
    }

    @Test
    void shouldNotReadTheXmlOfASilentGuestAgainAndAgain() {
        xml.xml = LIVE_XML;
        pollAt(100, 5, 100L);
        for (long now = 105; now < 125; now++) {
            assertEquals(new BalloonConfig("virtio", 2), pollAt(now, 5, 100L), "still period 2: the guest is silent");
        }
        assertEquals(2, xml.reads, "one read when it became late, none after for the same last_update");
        pollAt(126, 5, 126L);
        pollAt(131, 5, 126L);
        assertEquals(3, xml.reads, "late again with a new last_update: read again once");
    }

    @Test
    void shouldJudgeSilenceByTheCollectorsClockNotTheHypervisorsClock() {
        xml.xml = LIVE_XML; // period 2 s; the hypervisor's clock is 60 s behind the collector's
        for (long now = 100; now < 120; now++) {
            pollAt(now, 5, now - 60 - (now % 2)); // last_update moves every 2 s
        }
        assertEquals(1, xml.reads, "a reporting guest is never late, whatever the clocks say");
    }

    @Test
    void shouldReadTheXmlAgainAfterInvalidation() {
        poll(5, 100L);
        cache.invalidate(UUID);
        poll(5, 100L);
        assertEquals(2, xml.reads);
    }

    @Test
    void shouldReadEachXmlAgainAfterOneToTwoRefreshIntervalsAndThenOncePerInterval() {
        BalloonConfigCache small = new BalloonConfigCache(10);
        List<String> uuids = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        int[] reads = new int[uuids.size()];
        int[] firstReRead = new int[uuids.size()];
        for (int p = 1; p <= 31; p++) {
            small.startPoll(8);
            for (int i = 0; i < uuids.size(); i++) {
                int index = i;
                int pollNo = p;
                small.lookup(uuids.get(i), 1, 7L, () -> {
                    reads[index]++;
                    if (reads[index] == 2) {
                        firstReRead[index] = pollNo;
                    }
                    return LIVE_XML;
                });
            }
        }
        for (int i = 0; i < uuids.size(); i++) {
            assertTrue(firstReRead[i] >= 11 && firstReRead[i] <= 20, uuids.get(i) + " re-read at poll " + firstReRead[i]);
            assertTrue(reads[i] == 3 || reads[i] == 4, uuids.get(i) + " read " + reads[i] + " times in 31 polls");
        }
    }

    @Test
    void shouldForgetDomainsThatAreGone() {
        poll(5, 100L);
        cache.retainOnly(List.of("another"));
        assertEquals(0, cache.size());
        poll(5, 100L);
        assertEquals(2, xml.reads);
    }

    @Test
    void shouldRefuseARefreshIntervalBelowOnePoll() {
        assertThrows(IllegalArgumentException.class, () -> new BalloonConfigCache(0));
    }
}
