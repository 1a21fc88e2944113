package io.memdrs.stream.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.memdrs.engine.DrsEngine;
import io.memdrs.engine.Plan;
import io.memdrs.engine.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanJsonTest {
    private static final String SNAPSHOT = """
            { "cluster": "c1",
              "hosts": [ { "name": "h1", "memoryKiB": 104857600 }, { "name": "h2", "memoryKiB": 104857600 } ],
              "vms": [ { "uuid": "a", "host": "h1", "demandKiB": 28311552 }, { "uuid": "b", "host": "h1", "demandKiB": 31457280 },
                       { "uuid": "c", "host": "h2", "demandKiB": 10485760 } ] }
            """;

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void shouldCarryTheFieldsOfTheDesignJsonOutput() {
        Plan plan = DrsEngine.plan(SnapshotJson.parse(SNAPSHOT), Policy.defaults(),
                Instant.parse("2025-01-15T12:00:00Z"));
        JsonNode root = PlanJson.tree(plan, 3);
        assertTrue(fields(root).containsAll(List.of("cluster", "imbalanceBefore", "imbalanceAfter", "recommendations",
                "rejected", "notes")), fields(root).toString());
        JsonNode rec = root.get("recommendations").get(0);
        assertTrue(fields(rec).containsAll(List.of("id", "vm", "vmName", "source", "target", "priority", "reason",
                "demandKiB", "sourceLoadBefore", "sourceLoadAfter", "targetLoadBefore", "targetLoadAfter",
                "imbalanceBefore", "imbalanceAfter", "explanation", "sizeKiB", "confidence", "trigger",
                "rejectedAlternatives", "policyVersion", "expiresAt")), fields(rec).toString());
        assertEquals("c1:3:1", rec.get("id").asText());
        assertEquals(0.57, rec.get("sourceLoadBefore").asDouble(), 1e-12, "loads are fractions");
    }

    @Test
    void shouldWriteNoTargetAtLevelOneAsNull() {
        Plan plan = DrsEngine.plan(SnapshotJson.parse(SNAPSHOT), Policy.builder().migrationThreshold(1).build(),
                Instant.parse("2025-01-15T12:00:00Z"));
        assertTrue(PlanJson.tree(plan, 0).get("targetImbalance").isNull());
    }
}
