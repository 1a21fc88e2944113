package io.memdrs.executor;

import static io.memdrs.executor.Recommendations.load;
import static io.memdrs.executor.Recommendations.move;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.HostLoad;
import io.memdrs.avro.HostState;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.executor.VmPlacement.Where;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreflightTest {
    private static final long NOW = 1_800_000_000_000L;
    private final Preflight preflight = new Preflight(Recommendations.settings(Map.of()));
    private final MigrationRecommendation rec = move("c1:1:1", "c1", "uuid-0001", "h1", "h2", NOW - 1000);

    private Optional<String> check(MigrationRecommendation r, Optional<String> paused, VmPlacement where,
                                   Optional<HostLoad> target, long arrivedKiB) {
        return preflight.skipReason(r, new Preflight.World(NOW, paused, where, target, arrivedKiB));
    }

    private Optional<String> check(VmPlacement where, Optional<HostLoad> target) {
        return check(rec, Optional.empty(), where, target, 0);
    }

    @Test
    void shouldLetAFreshMoveToARoomyActiveTargetGo() {
        assertEquals(Optional.empty(), check(VmPlacement.onSource(), Optional.of(load("c1", "h2", 30, NOW - 5000))));
    }

    @Test
    void shouldHonourTheKillSwitchBeforeAnythingElse() {
        MigrationRecommendation expired = move("c1:1:1", "c1", "uuid-0001", "h1", "h2", NOW - 3_600_000);
        String reason = check(expired, Optional.of("rule 'freeze' (change freeze)"), VmPlacement.onSource(),
                Optional.empty(), 0).orElseThrow();
        assertTrue(reason.contains("paused by rule 'freeze' (change freeze)"), reason);
    }

    @Test
    void shouldSkipAnExpiredRecommendationSayingHowLongAgo() {
        MigrationRecommendation expired = move("c1:1:1", "c1", "uuid-0001", "h1", "h2", NOW - 310_000);
        String reason = check(expired, Optional.empty(), VmPlacement.onSource(),
                Optional.of(load("c1", "h2", 30, NOW)), 0).orElseThrow();
        assertTrue(reason.startsWith("expired 10.0 s ago"), reason);
    }

    @Test
    void shouldSkipWhenTheVmIsNotRunningOnItsSourceWithWhereItIs() {
        Optional<HostLoad> roomy = Optional.of(load("c1", "h2", 30, NOW));
        assertTrue(check(VmPlacement.of(Where.ON_TARGET, ""), roomy).orElseThrow().contains("already on the target h2"));
        assertTrue(check(VmPlacement.of(Where.GONE, ""), roomy).orElseThrow().contains("neither h1 nor h2"));
        assertTrue(check(VmPlacement.of(Where.NOT_RUNNING, "VIR_DOMAIN_SHUTOFF"), roomy).orElseThrow()
                .contains("not running on its source h1 (VIR_DOMAIN_SHUTOFF)"));
        assertTrue(check(VmPlacement.of(Where.MIGRATING, "job type 2"), roomy).orElseThrow().contains("already running"));
        assertTrue(check(VmPlacement.of(Where.UNREACHABLE, "connection refused"), roomy).orElseThrow()
                .contains("cannot ask libvirt where the VM is: connection refused"));
    }

    @Test
    void shouldSkipWhenNoFreshActiveLoadVouchesForTheTarget() {
        assertTrue(check(VmPlacement.onSource(), Optional.empty()).orElseThrow().contains("no host load known"));
        assertTrue(check(VmPlacement.onSource(), Optional.of(load("c1", "h2", 30, NOW - 180_000))).orElseThrow()
                .contains("latest host load is 180 s old (limit 120 s)"));
        HostLoad maintenance = load("c1", "h2", 30, NOW);
        maintenance.setState(HostState.MAINTENANCE);
        assertTrue(check(VmPlacement.onSource(), Optional.of(maintenance)).orElseThrow().contains("is MAINTENANCE"));
    }

    @Test
    void shouldSkipWhenTheVmWouldPushTheTargetPastItsLimit() {
        // 89 GiB + 2 GiB demand = 91 % > 90 %
        String reason = check(VmPlacement.onSource(), Optional.of(load("c1", "h2", 89, NOW))).orElseThrow();
        assertTrue(reason.contains("would be at 91.0% of its capacity with this VM (limit 90.0%; now 89.0%)"), reason);
        assertEquals(Optional.empty(), check(VmPlacement.onSource(), Optional.of(load("c1", "h2", 88, NOW))));
    }

    @Test
    void shouldCountVmsMovedToTheTargetSinceItsLatestLoad() {
        Optional<HostLoad> target = Optional.of(load("c1", "h2", 80, NOW));
        assertEquals(Optional.empty(), check(rec, Optional.empty(), VmPlacement.onSource(), target, 0));
        String reason = check(rec, Optional.empty(), VmPlacement.onSource(), target, 9 * Recommendations.GIB).orElseThrow();
        assertTrue(reason.contains("plus VMs moved there since"), reason);
    }
}
