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

    private BalloonConfig poll(int domainId, Long lastUpdate) {
        cache.startPoll();
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
            small.startPoll();
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
