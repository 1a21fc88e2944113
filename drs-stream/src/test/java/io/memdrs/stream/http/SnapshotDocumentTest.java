package io.memdrs.stream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.memdrs.config.ConfigSource;
import io.memdrs.engine.Confidence;
import io.memdrs.engine.Host;
import io.memdrs.engine.Rule;
import io.memdrs.engine.RuleType;
import io.memdrs.engine.Snapshot;
import io.memdrs.engine.SnapshotValidator;
import io.memdrs.engine.Vm;
import io.memdrs.stream.config.DrsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SnapshotDocumentTest {
    private final DrsSettings settings = DrsSettings.from(ConfigSource.of(Map.of()));

    private JsonNode document() {
        return Json.MAPPER.valueToTree(SnapshotDocument.of(
                ModelSnapshot.of(ClusterViewsTest.data(), settings, ClusterViewsTest.NOW).snapshot()));
    }

    @Test
    void shouldWriteTheDesignSnapshotFieldsAndNothingElse() {
        JsonNode doc = document();
        assertEquals(Set.of("cluster", "hosts", "vms", "rules"), names(doc));
        assertEquals("c1", doc.get("cluster").asText());
        assertEquals(Set.of("name", "memoryKiB", "reservedKiB", "maintenance"), names(doc.get("hosts").get(0)));
        assertEquals(Set.of("uuid", "name", "host", "demandKiB", "sizeKiB", "confidence", "movable"),
                names(doc.get("vms").get(0)));
    }

    @Test
    void shouldLeaveSilentHostsAndStaleVmsOutAndKeepMaintenance() {
        JsonNode doc = document();
        List<String> hosts = new ArrayList<>();
        doc.get("hosts").forEach(h -> hosts.add(h.get("name").asText()));
        assertEquals(List.of("h1", "h2", "h3", "h5"), hosts);
        assertTrue(doc.get("hosts").get(3).get("maintenance").asBoolean());
        Set<String> vms = new TreeSet<>();
        doc.get("vms").forEach(v -> vms.add(v.get("uuid").asText()));
        assertEquals(Set.of("a1", "a2", "a3", "a4", "a5", "a6", "b1", "b2", "c1"), vms);
        for (JsonNode v : doc.get("vms")) {
            switch (v.get("uuid").asText()) {
                case "a6" -> assertFalse(v.get("movable").asBoolean(), "do-not-move");
                case "b2" -> assertEquals("LOW", v.get("confidence").asText());
                case "a1" -> {
                    assertEquals(8L * StateFixture.GIB, v.get("demandKiB").asLong());
                    assertEquals("HIGH", v.get("confidence").asText());
                    assertTrue(v.get("movable").asBoolean());
                }
                default -> { }
            }
        }
    }

    @Test
    void shouldKeepOnlyRuleMembersThatAreInTheSnapshot() {
        JsonNode rules = document().get("rules");
        assertEquals(2, rules.size(), rules.toString());
        assertEquals("ANTI_AFFINITY", rules.get(0).get("type").asText());
        assertEquals("[\"a1\",\"a2\"]", rules.get(0).get("vms").toString());
        assertFalse(rules.get(0).has("hosts"));
        assertEquals("VM_HOST_AFFINITY", rules.get(1).get("type").asText());
        assertEquals("[\"h3\"]", rules.get(1).get("hosts").toString());
        assertTrue(rules.get(1).get("must").asBoolean());
    }

    @Test
    void shouldBeASnapshotTheWhatIfValidatorAccepts() {
        assertEquals(List.of(), SnapshotValidator.problems(read(document())));
    }

    /** Reads the DESIGN §4 JSON into the engine's snapshot, as the what-if command does. */
    static Snapshot read(JsonNode doc) {
        List<Host> hosts = new ArrayList<>();
        doc.get("hosts").forEach(h -> hosts.add(new Host(h.get("name").asText(), h.get("memoryKiB").asLong(),
                h.get("reservedKiB").asLong(), h.get("maintenance").asBoolean())));
        List<Vm> vms = new ArrayList<>();
        doc.get("vms").forEach(v -> vms.add(new Vm(v.get("uuid").asText(), v.get("name").asText(),
                v.get("host").asText(), v.get("demandKiB").asLong(), v.get("sizeKiB").asLong(),
                Confidence.valueOf(v.get("confidence").asText()), v.get("movable").asBoolean())));
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : doc.get("rules")) {
            List<String> members = new ArrayList<>();
            r.get("vms").forEach(m -> members.add(m.asText()));
            List<String> ruleHosts = new ArrayList<>();
            if (r.has("hosts")) {
                r.get("hosts").forEach(m -> ruleHosts.add(m.asText()));
            }
            rules.add(new Rule("rules[" + rules.size() + "]", RuleType.valueOf(r.get("type").asText()), members,
                    ruleHosts, r.get("must").asBoolean()));
        }
        return new Snapshot(doc.get("cluster").asText(), hosts, vms, rules);
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
