package io.memdrs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotValidatorTest {

    @Test
    void shouldPointAtEveryBadEntry() {
        Snapshot s = new Snapshot("c", List.of(new Host("h1", 100, 0, false), new Host("h1", 100, 0, false),
                new Host("h2", 100, 100, false)),
                List.of(Vm.of("u1", "a", "h1", 1, 1), Vm.of("u1", "b", "h1", 1, 1), Vm.of("u3", "c", "h9", 1, 1)),
                List.of(Rule.antiAffinity("r", "u1", "u7"), Rule.vmHostAffinity("s", List.of("u1"), List.of("h8")),
                        Rule.antiAffinity("t", "u1")));
        assertEquals(List.of(
                "hosts[1] (name \"h1\"): duplicate host name",
                "hosts[2] (name \"h2\"): reservedKiB 100 must be less than memoryKiB 100",
                "vms[1] (uuid \"u1\"): duplicate uuid",
                "vms[2] (uuid \"u3\"): host \"h9\" is not in hosts",
                "rules[0] (ANTI_AFFINITY \"r\"): vm \"u7\" is not in vms",
                "rules[1] (VM_HOST_AFFINITY \"s\"): host \"h8\" is not in hosts",
                "rules[2] (ANTI_AFFINITY \"t\"): needs at least 2 vms"), SnapshotValidator.problems(s));
    }

    @Test
    void shouldRefuseAVmSmallerThanItsDemandBecauseItsCopyWouldLookNearlyFree() {
        Snapshot s = new Snapshot("c", List.of(new Host("h1", 100, 0, false)),
                List.of(Vm.of("u1", "a", "h1", 8, 8), Vm.of("u2", "b", "h1", 8, 2)), List.of());
        assertEquals(List.of("vms[1] (uuid \"u2\"): sizeKiB 2 is below its demandKiB 8 (a migration copies at least"
                + " the demand; a smaller size makes its move look nearly free)"), SnapshotValidator.problems(s));
    }

    @Test
    void shouldLetTheEngineLeaveBadEntriesOutWithANote() {
        Snapshot s = new Snapshot("c", List.of(new Host("h1", 100, 0, false), new Host("h2", 100, 0, false)),
                List.of(Vm.of("u1", "a", "h1", 10, 10), Vm.of("u2", "b", "h9", 10, 10)),
                List.of(Rule.antiAffinity("r", "u1", "u7")));
        Plan plan = DrsEngine.plan(s, Policy.defaults(), ClusterGenerator.NOW);
        assertEquals(List.of("vm b (u2) runs on host h9, which is not in the snapshot: left out",
                "rule r names vm u7, which is not in the snapshot: ignored"), plan.notes().subList(0, 2));
    }
}
