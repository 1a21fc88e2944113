package io.memdrs.stream.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memdrs.engine.Confidence;
import io.memdrs.engine.HostState;
import io.memdrs.engine.RuleType;
import io.memdrs.engine.Snapshot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotJsonTest {
    private static final String DESIGN_EXAMPLE = """
            { "cluster": "c1",
              "hosts": [ { "name": "h1", "memoryKiB": 268435456, "reservedKiB": 8388608, "maintenance": false },
                         { "name": "h2", "memoryKiB": 268435456 } ],
              "vms":   [ { "uuid": "uuid-a", "name": "web-1", "host": "h1", "demandKiB": 4194304, "sizeKiB": 8388608,
                           "confidence": "HIGH", "movable": true },
                         { "uuid": "uuid-b", "host": "h2", "demandKiB": 1048576 },
                         { "uuid": "uuid-c", "host": "h2", "demandKiB": 1048576, "confidence": "LOW" } ],
              "rules": [ { "type": "ANTI_AFFINITY", "vms": ["uuid-a", "uuid-b"] },
                         { "type": "VM_HOST_AFFINITY", "vms": ["uuid-c"], "hosts": ["h1", "h2"], "must": true } ] }
            """;

    /** The DESIGN example with one entry replaced. */
    private static String with(String from, String to) {
        String json = DESIGN_EXAMPLE.replace(from, to);
        if (json.equals(DESIGN_EXAMPLE)) {
            throw new IllegalArgumentException("no " + from);
        }
        return json;
    }

    private static List<String> problems(String json) {
        return assertThrows(SnapshotValidationException.class, () -> SnapshotJson.parse(json)).problems();
    }

    @Test
    void shouldReadTheDesignExampleWithItsDefaults() {
        Snapshot s = SnapshotJson.parse(DESIGN_EXAMPLE);
        assertEquals("c1", s.cluster());
        assertEquals(260046848L, s.hosts().get(0).capacityKiB());
        assertEquals(0, s.hosts().get(1).reservedKiB());
        assertEquals(HostState.ACTIVE, s.hosts().get(1).state());
        assertEquals("uuid-b", s.vms().get(1).name(), "name defaults to the uuid");
        assertEquals(1048576, s.vms().get(1).sizeKiB(), "size defaults to the demand");
        assertEquals(Confidence.LOW, s.vms().get(2).confidence());
        assertEquals("rules[0]", s.rules().get(0).id());
        assertEquals(RuleType.VM_HOST_AFFINITY, s.rules().get(1).type());
        assertEquals(true, s.rules().get(0).must());
    }

    @Test
    void shouldRefuseAVmOnAHostThatIsNotListed() {
        assertEquals(List.of("vms[1] (uuid \"uuid-b\"): host \"h9\" is not in hosts"),
                problems(with("\"uuid-b\", \"host\": \"h2\"", "\"uuid-b\", \"host\": \"h9\"")));
    }

    @Test
    void shouldRefuseNegativeMemory() {
        assertEquals(List.of("hosts[1] (name \"h2\"): memoryKiB must be positive, not -5"),
                problems(with("{ \"name\": \"h2\", \"memoryKiB\": 268435456 }", "{ \"name\": \"h2\", \"memoryKiB\": -5 }")));
    }

    @Test
    void shouldRefuseReservedMemoryThatLeavesNoCapacity() {
        assertEquals(List.of("hosts[0] (name \"h1\"): reservedKiB 268435456 must be less than memoryKiB 268435456"),
                problems(with("\"reservedKiB\": 8388608", "\"reservedKiB\": 268435456")));
    }

    @Test
    void shouldRefuseADuplicateUuid() {
        assertEquals(List.of("vms[1] (uuid \"uuid-a\"): duplicate uuid"),
                problems(with("{ \"uuid\": \"uuid-b\", \"host\": \"h2\"", "{ \"uuid\": \"uuid-a\", \"host\": \"h2\"")
                        .replace("[\"uuid-a\", \"uuid-b\"]", "[\"uuid-a\", \"uuid-c\"]")));
    }

    @Test
    void shouldRefuseARuleNamingAnUnknownVmOrHost() {
        assertEquals(List.of("rules[0] (ANTI_AFFINITY \"rules[0]\"): vm \"uuid-x\" is not in vms"),
                problems(with("[\"uuid-a\", \"uuid-b\"]", "[\"uuid-a\", \"uuid-x\"]")));
        assertEquals(List.of("rules[1] (VM_HOST_AFFINITY \"rules[1]\"): host \"h7\" is not in hosts"),
                problems(with("[\"h1\", \"h2\"]", "[\"h1\", \"h7\"]")));
    }

    @Test
    void shouldRefuseWrongTypesUnknownFieldsAndBadEnums() {
        assertEquals(List.of("vms[0] (uuid \"uuid-a\"): demandKiB must be an integer, not \"4194304\""),
                problems(with("\"demandKiB\": 4194304", "\"demandKiB\": \"4194304\"")));
        assertEquals(List.of("hosts[0] (name \"h1\"): unknown field \"maintainance\" (known: name, memoryKiB, "
                + "reservedKiB, maintenance, state)"), problems(with("\"maintenance\": false", "\"maintainance\": false")));
        assertEquals(List.of("vms[2] (uuid \"uuid-c\"): confidence must be one of [HIGH, LOW], not \"MEDIUM\""),
                problems(with("\"LOW\"", "\"MEDIUM\"")));
        assertEquals(List.of("rules[0]: type is missing"),
                problems(with("\"type\": \"ANTI_AFFINITY\", ", "")));
    }

    @Test
    void shouldListEveryProblemAtOnce() {
        List<String> problems = problems(with("\"memoryKiB\": 268435456 }", "\"memoryKiB\": 0 }")
                .replace("\"demandKiB\": 1048576 },", "\"demandKiB\": -1 },"));
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void shouldRefuseSomethingThatIsNotJson() {
        List<String> problems = problems("{ \"cluster\": ");
        assertEquals(1, problems.size());
        assertEquals(true, problems.get(0).startsWith("not valid JSON at line 1"), problems.get(0));
    }

    @Test
    void shouldReadWhatItWritesIncludingHistoryAndUnknownHosts() {
        String json = with("{ \"name\": \"h2\", \"memoryKiB\": 268435456 }",
                "{ \"name\": \"h2\", \"memoryKiB\": 268435456, \"state\": \"UNKNOWN\" }")
                .replace("\"confidence\": \"LOW\" }", "\"confidence\": \"LOW\", \"lastMoveAtMillis\": 1736942400000, "
                        + "\"leftHost\": \"h1\" }");
        Snapshot s = SnapshotJson.parse(json);
        assertEquals(HostState.UNKNOWN, s.hosts().get(1).state());
        assertEquals(Instant.ofEpochMilli(1736942400000L), s.history().get("uuid-c").lastMoveAt());
        assertEquals(s, SnapshotJson.parse(SnapshotJson.write(s)));
    }
}
