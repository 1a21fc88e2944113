package io.memdrs.collector.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.MemoryStatTag;
import io.memdrs.collector.model.VmSampleMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libvirt reader against the real libvirt.so.0 and its test driver (no daemon, no root). */
@Tag("integration")
class LibvirtReaderTest {
    private static final int DOMAINS = 22;

    @TempDir
    Path dir;

    private LibvirtSession open() throws LibvirtUnavailableException {
        return LibvirtSession.open(TestDriverNode.write(dir.resolve("node.xml"), DOMAINS), true, Duration.ofSeconds(10));
    }

    @Test
    void shouldFallBackToPerDomainCallsOnTheTestDriverAndRememberItForTheConnection() throws Exception {
        try (LibvirtSession session = open()) {
            LibvirtReader reader = new LibvirtReader(session);
            assertTrue(reader.usesBulkStats(), "bulk is tried first");

            LibvirtReader.Poll first = reader.read(false);

            assertFalse(first.bulk(), "the test driver has no balloon group");
            assertFalse(reader.usesBulkStats(), "remembered for this connection");
            assertEquals(DOMAINS, first.domains().size());
            DomainSnapshot vm1 = byName(first.domains(), TestDriverNode.name(1));
            assertEquals(TestDriverNode.uuid(1), vm1.uuid());
            assertEquals(DomainState.RUNNING, vm1.state());
            assertTrue(vm1.stats().has(MemoryStatTag.USABLE), "per-domain memoryStats gives the made-up figures");
            assertFalse(reader.read(false).bulk());
        }
    }

    @Test
    void shouldReadTheSameDomainsInOneBulkCallAsWithPerDomainCalls() throws Exception {
        try (LibvirtSession session = open()) {
            List<DomainSnapshot> each = sorted(new LibvirtReader(session, LibvirtReader.StatsSource.PER_DOMAIN)
                    .read(true).domains());
            LibvirtReader.Poll bulkPoll = new LibvirtReader(session, LibvirtReader.StatsSource.BULK).read(true);
            List<DomainSnapshot> bulk = sorted(bulkPoll.domains());

            assertTrue(bulkPoll.bulk());
            assertEquals(each.size(), bulk.size());
            for (int i = 0; i < each.size(); i++) {
                assertEquals(each.get(i).uuid(), bulk.get(i).uuid());
                assertEquals(each.get(i).name(), bulk.get(i).name());
                assertEquals(each.get(i).state(), bulk.get(i).state());
                assertEquals(each.get(i).balloon(), bulk.get(i).balloon(), "balloon of the live XML");
            }
        }
    }

    @Test
    void shouldReadEachDomainsXmlOnceAcrossPollsOfTheSameConnection() throws Exception {
        try (LibvirtSession session = open()) {
            LibvirtReader reader = new LibvirtReader(session);
            reader.read(false);
            reader.read(false);
            reader.read(false);
            assertEquals(DOMAINS, reader.xmlReads(), "one XML read per domain, not per poll");
            reader.forgetBalloonConfig(TestDriverNode.uuid(3));
            reader.read(false);
            assertEquals(DOMAINS + 1, reader.xmlReads());
        }
    }

    @Test
    void shouldDiagnoseTheBalloonsOfTestDriverDomains() throws Exception {
        try (LibvirtSession session = open()) {
            List<DomainSnapshot> domains = new LibvirtReader(session).read(false).domains();
            VmSampleMapper mapper = new VmSampleMapper("c1", "node-1", session.guestClockTrusted());
            Instant now = Instant.now();

            VmMemorySample withPeriod = mapper.map(byName(domains, TestDriverNode.name(1)), now, null);
            VmMemorySample noPeriod = mapper.map(byName(domains, TestDriverNode.name(7)), now, null);
            VmMemorySample noBalloon = mapper.map(byName(domains, TestDriverNode.name(11)), now, null);

            assertFalse(session.guestClockTrusted(), "the test driver's last_update is a constant");
            assertEquals(StatsHealth.OK, withPeriod.getHealth(), withPeriod.getHint());
            assertEquals(10, withPeriod.getStatsPeriodSeconds());
            assertEquals(StatsHealth.STATS_PERIOD_DISABLED, noPeriod.getHealth(), noPeriod.getHint());
            assertEquals(StatsHealth.NO_BALLOON, noBalloon.getHealth(), noBalloon.getHint());
            assertEquals("none", noBalloon.getBalloonModel());
        }
    }

    private static DomainSnapshot byName(List<DomainSnapshot> domains, String name) {
        return domains.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no domain " + name));
    }

    private static List<DomainSnapshot> sorted(List<DomainSnapshot> domains) {
        return domains.stream().sorted(Comparator.comparing(DomainSnapshot::uuid)).toList();
    }
}
