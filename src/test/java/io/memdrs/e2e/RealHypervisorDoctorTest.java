package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.memdrs.collector.libvirt.LibvirtReader;
import io.memdrs.collector.libvirt.LibvirtSession;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.MemoryStatTag;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code memdrs collector doctor} and {@code enable-stats} against a real libvirtd running real QEMU guests: the lab
 * of {@code src/test/lab} (brought up here, reused if already up), whose guests report live, frozen and no balloon
 * statistics. Skipped only where the lab cannot exist: not root, or its Debian packages cannot be installed.
 * Leaves the lab as the script defines it (the frozen guest frozen again) for the next run.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealHypervisorDoctorTest {
    private static final Duration POLL_PAUSE = Duration.ofMillis(250);

    private static Lab lab;
    private static CollectorCli.Result doctor;
    private static boolean periodChanged;

    @BeforeAll
    static void bringUpTheLab() {
        lab = Lab.readyOrSkip();
        doctor = CollectorCli.run("doctor", "--uri", Lab.URI, "--format", "json");
    }

    @AfterAll
    static void leaveTheFrozenGuestFrozen() {
        if (periodChanged) {
            // `up` restarts a guest whose live stats period differs from the lab's definition.
            Lab.Run up = lab.up();
            assertTrue(up.succeeded(), () -> "could not restore the lab: " + up.describe());
        }
    }

    @Test
    @Order(1)
    void shouldReportTheGuestWithAStatsPeriodAsOkWithUsageFromUsable() {
        JsonNode ok = doctor.vm(Lab.OK);
        assertEquals("OK", ok.path("health").asText(), doctor::toString);
        assertEquals("USABLE", ok.path("usageSource").asText(), doctor::toString);
        assertEquals(2, ok.path("statsPeriodSeconds").asInt(), doctor::toString);
        assertTrue(ok.path("usable").asBoolean());
        assertEquals(ok.at("/stats/availableKiB").asLong() - ok.at("/stats/usableKiB").asLong(),
                ok.path("usageKiB").asLong(), "usage is available - usable");
    }

    @Test
    @Order(2)
    void shouldSeeTheLiveGuestsValuesChangeBetweenTwoPolls() {
        JsonNode first = doctor.vm(Lab.OK);
        JsonNode later = awaitDoctor(Lab.OK, Duration.ofSeconds(30),
                vm -> vm.path("lastUpdateEpochSeconds").asLong() > first.path("lastUpdateEpochSeconds").asLong()
                        && vm.at("/stats/usableKiB").asLong() != first.at("/stats/usableKiB").asLong(),
                "last_update to advance and usable to change");
        assertEquals("OK", later.path("health").asText());
        System.out.printf("%s: last_update %d -> %d, usable %d -> %d KiB, usage %d -> %d KiB%n", Lab.OK,
                first.path("lastUpdateEpochSeconds").asLong(), later.path("lastUpdateEpochSeconds").asLong(),
                first.at("/stats/usableKiB").asLong(), later.at("/stats/usableKiB").asLong(),
                first.path("usageKiB").asLong(), later.path("usageKiB").asLong());
    }

    @Test
    @Order(3)
    void shouldFlagTheBalloonWithoutAPeriodAsStatsPeriodDisabledAndNameEnableStats() {
        JsonNode frozen = doctor.vm(Lab.FROZEN);
        assertEquals("STATS_PERIOD_DISABLED", frozen.path("health").asText(), doctor::toString);
        assertEquals(0, frozen.path("statsPeriodSeconds").asInt());
        assertFalse(frozen.path("usable").asBoolean());
        String hint = frozen.path("hint").asText();
        assertTrue(hint.contains("enable-stats") && hint.contains("--domain " + Lab.FROZEN), hint);
    }

    @Test
    @Order(4)
    void shouldFlagTheGuestWithoutABalloonDriverAsNeverReported() {
        JsonNode noDriver = doctor.vm(Lab.NO_DRIVER);
        assertEquals("NEVER_REPORTED", noDriver.path("health").asText(), doctor::toString);
        assertEquals(0, noDriver.path("lastUpdateEpochSeconds").asLong());
        assertTrue(noDriver.at("/stats/usableKiB").isNull(), "the guest reported no usable");
        assertEquals("HOST_RSS", noDriver.path("usageSource").asText(), "usage stands in from the host RSS");
        assertTrue(noDriver.path("hint").asText().contains("virtio_balloon"), noDriver.path("hint").asText());
    }

    @Test
    @Order(5)
    void shouldExitWith3BecauseRunningGuestsHaveUnusableStats() {
        assertEquals(3, doctor.exitCode(), doctor::toString);
        assertEquals(2, doctor.json().path("unusable").asInt(), doctor::toString);
        assertEquals("QEMU", doctor.json().path("driver").asText());
        assertTrue(doctor.json().path("freshnessChecked").asBoolean());
    }

    @Test
    @Order(6)
    void shouldReadTheSameBalloonStatsInOneBulkCallAsWithPerDomainCalls() throws Exception {
        try (LibvirtSession session = LibvirtSession.open(Lab.URI, true, Duration.ofSeconds(10))) {
            LibvirtReader auto = new LibvirtReader(session);
            LibvirtReader.Poll bulk = auto.read(false);
            LibvirtReader.Poll each = new LibvirtReader(session, LibvirtReader.StatsSource.PER_DOMAIN).read(false);

            assertTrue(bulk.bulk(), "QEMU answers virConnectGetAllDomainStats with the balloon group");
            assertTrue(auto.usesBulkStats());
            for (String name : List.of(Lab.OK, Lab.FROZEN, Lab.NO_DRIVER)) {
                DomainSnapshot b = byName(bulk.domains(), name);
                DomainSnapshot e = byName(each.domains(), name);
                assertEquals(e.uuid(), b.uuid());
                assertEquals(e.state(), b.state());
                assertEquals(e.maxMemoryKiB(), b.maxMemoryKiB(), name + " max memory");
                assertEquals(e.currentMemoryKiB(), b.currentMemoryKiB(), name + " current memory");
                assertEquals(e.balloon(), b.balloon(), name + " balloon of the live XML");
                assertEquals(e.stats().asMap().keySet(), b.stats().asMap().keySet(), name + " reports the same tags");
            }
            for (String name : List.of(Lab.FROZEN, Lab.NO_DRIVER)) {
                Map<MemoryStatTag, Long> b = new EnumMap<>(byName(bulk.domains(), name).stats().asMap());
                Map<MemoryStatTag, Long> e = new EnumMap<>(byName(each.domains(), name).stats().asMap());
                b.remove(MemoryStatTag.RSS); // the QEMU process's RSS moves between two reads
                e.remove(MemoryStatTag.RSS);
                assertEquals(e, b, name + ": values that do not move are equal");
            }
        }
    }

    @Test
    @Order(7)
    void shouldTurnTheFrozenGuestOkWithinSecondsOfEnableStats() {
        CollectorCli.Result enable = CollectorCli.run("enable-stats", "--period", "2", "--uri", Lab.URI,
                "--domain", Lab.FROZEN);
        periodChanged = true;
        assertEquals(0, enable.exitCode(), enable::toString);
        assertTrue(enable.out().contains(Lab.FROZEN + ": stats period 0 -> 2 s (live)"), enable::toString);
        assertTrue(enable.out().contains("1 domain(s) changed"), enable::toString);

        long began = System.nanoTime();
        JsonNode frozen = awaitDoctor(Lab.FROZEN, Duration.ofSeconds(15),
                vm -> "OK".equals(vm.path("health").asText()), "health OK");
        System.out.printf("%s: OK %d ms after enable-stats: %s%n", Lab.FROZEN,
                Duration.ofNanos(System.nanoTime() - began).toMillis(), frozen.path("hint").asText());
        assertEquals(2, frozen.path("statsPeriodSeconds").asInt());
        assertEquals("USABLE", frozen.path("usageSource").asText());
    }

    private static DomainSnapshot byName(List<DomainSnapshot> domains, String name) {
        return domains.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("libvirt listed no running domain " + name));
    }

    /** Runs doctor until VM {@code name}'s row satisfies {@code done}, or fails at the deadline. */
    private static JsonNode awaitDoctor(String name, Duration timeout, Predicate<JsonNode> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CollectorCli.Result last;
        do {
            last = CollectorCli.run("doctor", "--uri", Lab.URI, "--format", "json");
            JsonNode vm = last.vm(name);
            if (done.test(vm)) {
                return vm;
            }
            pause();
        } while (System.nanoTime() < deadline);
        return fail("waited " + timeout + " for " + name + ": " + what + "; last " + last);
    }

    /** The interval between two polls of libvirt (not a wait for an outcome: each poll checks it). */
    private static void pause() {
        try {
            Thread.sleep(POLL_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
