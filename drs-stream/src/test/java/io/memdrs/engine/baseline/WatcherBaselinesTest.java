package io.memdrs.engine.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memdrs.engine.Host;
import io.memdrs.engine.Policy;
import io.memdrs.engine.Rule;
import io.memdrs.engine.Snapshot;
import io.memdrs.engine.Vm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatcherBaselinesTest {
    private static final long GIB = 1024L * 1024;
    private static final Instant NOW = Instant.parse("2025-01-15T12:00:00Z");
    private final Policy policy = Policy.defaults();

    private static Vm vm(String name, String host, long gib) {
        return Vm.of(name, name, host, gib * GIB, gib * GIB);
    }

    private static List<Host> hosts(int n) {
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            hosts.add(new Host("h" + i, 100 * GIB, 0, false));
        }
        return hosts;
    }

    private static List<String> moves(BaselineResult r) {
        return r.moves().stream().map(m -> m.vmName() + " " + m.source() + "→" + m.target()).toList();
    }

    @Test
    void shouldMigrateThePairThatLowersStandardDeviationMostUntilBelowThreshold() {
        Snapshot s = new Snapshot("c", hosts(2), List.of(vm("a", "h1", 27), vm("b", "h1", 30), vm("c", "h2", 10)),
                List.of());
        BaselineResult r = new WorkloadStabilization(0.08).plan(s, policy, NOW);
        assertEquals(List.of("a h1→h2"), moves(r));
        assertEquals(0.235, r.imbalanceBefore(), 1e-12);
        assertEquals(0.035, r.imbalanceAfter(), 1e-12);
    }

    /** h1 at 80 % (a 50, b 20, c 10), h2 at 30 %, h3 at 20 %; average workload 43.3 GiB. */
    private static Snapshot hotHost(List<Rule> rules) {
        return new Snapshot("c", hosts(3), List.of(vm("a", "h1", 50), vm("b", "h1", 20), vm("c", "h1", 10),
                vm("d", "h2", 30), vm("e", "h3", 20)), rules);
    }

    @Test
    void shouldMoveOneVmPerAuditFromTheHottestHostToTheLeastLoaded() {
        BaselineResult r = new WorkloadBalance(0.6).plan(hotHost(List.of()), policy, NOW);
        assertEquals(List.of("b h1→h3", "c h1→h2"), moves(r),
                "excess 36.7 GiB: b is the largest VM within it; then excess 16.7 GiB: c");
    }

    @Test
    void shouldApplyTheEngineConstraintsToTheBaselines() {
        BaselineResult r = new WorkloadBalance(0.6).plan(hotHost(List.of(Rule.antiAffinity("r", "b", "e"))), policy,
                NOW);
        assertEquals("b h1→h2", moves(r).get(0));
    }
}
