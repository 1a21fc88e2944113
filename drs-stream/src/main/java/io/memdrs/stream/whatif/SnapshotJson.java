package io.memdrs.stream.whatif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memdrs.engine.Confidence;
import io.memdrs.engine.Host;
import io.memdrs.engine.HostState;
import io.memdrs.engine.Rule;
import io.memdrs.engine.RuleType;
import io.memdrs.engine.Snapshot;
import io.memdrs.engine.SnapshotValidator;
import io.memdrs.engine.TriggerHistory;
import io.memdrs.engine.Vm;
import io.memdrs.engine.VmHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DESIGN §4 what-if snapshot as JSON, read into the engine's model with validation, and written back.
 *
 * <pre>
 * { "cluster": "c1",
 *   "hosts": [ { "name": "h1", "memoryKiB": 268435456, "reservedKiB": 8388608, "maintenance": false,
 *                "state": "ACTIVE" } ],
 *   "vms":   [ { "uuid": "…", "name": "web-1", "host": "h1", "demandKiB": 4194304, "sizeKiB": 8388608,
 *                "confidence": "HIGH", "movable": true, "lastMoveAtMillis": 1736942400000, "leftHost": "h2" } ],
 *   "rules": [ { "id": "db-spread", "type": "ANTI_AFFINITY", "vms": ["uuid-a", "uuid-b"], "must": true },
 *              { "type": "VM_HOST_AFFINITY", "vms": ["uuid-c"], "hosts": ["h1", "h2"], "must": true } ] }
 * </pre>
 * Required: {@code cluster}; per host {@code name} and {@code memoryKiB} (&gt; 0); per VM {@code uuid}, {@code host}
 * and {@code demandKiB} (≥ 0); per rule {@code type} and {@code vms}, and {@code hosts} for VM–host rules. Defaults:
 * {@code reservedKiB} 0, {@code maintenance} false, {@code state} ACTIVE (UNKNOWN: not heard from), VM {@code name}
 * = uuid, {@code sizeKiB} = demandKiB, {@code confidence} HIGH, {@code movable} true, rule {@code must} true, rule
 * {@code id} {@code rules[i]}, {@code rules} empty. {@code lastMoveAtMillis} and {@code leftHost} (together) give the
 * VM's last migration, for the cooldown and the no-return rule. A top-level {@code comment} is ignored; any other
 * unknown field is refused, so that a misspelt key cannot silently change a plan.
 */
public final class SnapshotJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> ROOT = List.of("cluster", "hosts", "vms", "rules", "comment");
    private static final List<String> HOST = List.of("name", "memoryKiB", "reservedKiB", "maintenance", "state");
    private static final List<String> VM = List.of("uuid", "name", "host", "demandKiB", "sizeKiB", "confidence",
            "movable", "lastMoveAtMillis", "leftHost");
    private static final List<String> RULE = List.of("id", "type", "vms", "hosts", "must");

    private SnapshotJson() {
    }

    /** Reads and validates a snapshot file. */
    public static Snapshot read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses and validates a snapshot; throws {@link SnapshotValidationException} listing every problem. */
    public static Snapshot parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SnapshotValidationException("not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SnapshotValidationException("the snapshot must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        JsonFields top = new JsonFields(root, "snapshot", problems, ROOT);
        String cluster = top.string("cluster", "", true);
        List<Host> hosts = hosts(array(root, "hosts", true, problems), problems);
        Map<String, VmHistory> history = new LinkedHashMap<>();
        List<Vm> vms = vms(array(root, "vms", true, problems), history, problems);
        List<Rule> rules = rules(array(root, "rules", false, problems), problems);
        if (!problems.isEmpty()) {
            throw new SnapshotValidationException(problems);
        }
        Snapshot snapshot = new Snapshot(cluster, hosts, vms, rules, history, TriggerHistory.NONE);
        List<String> references = SnapshotValidator.problems(snapshot);
        if (!references.isEmpty()) {
            throw new SnapshotValidationException(references);
        }
        return snapshot;
    }

    private static List<JsonNode> array(JsonNode root, String name, boolean required, List<String> problems) {
        JsonNode node = root.get(name);
        List<JsonNode> items = new ArrayList<>();
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(name + ": is missing");
            }
        } else if (!node.isArray()) {
            problems.add(name + ": must be an array");
        } else {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isObject()) {
                    items.add(node.get(i));
                } else {
                    problems.add(name + "[" + i + "]: must be an object");
                    items.add(null);
                }
            }
        }
        return items;
    }

    private static String label(String array, int i, JsonNode node, String key) {
        JsonNode id = node.get(key);
        return array + "[" + i + "]" + (id != null && id.isTextual() ? " (" + key + " \"" + id.asText() + "\")" : "");
    }

    private static List<Host> hosts(List<JsonNode> nodes, List<String> problems) {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            if (n == null) {
                continue;
            }
            int before = problems.size();
            JsonFields f = new JsonFields(n, label("hosts", i, n, "name"), problems, HOST);
            String name = f.string("name", "", true);
            long memory = f.integer("memoryKiB", 1, 1, true);
            long reserved = f.integer("reservedKiB", 0, 0, false);
            boolean maintenance = f.bool("maintenance", false);
            HostState state = f.enumValue("state", HostState.class, HostState.ACTIVE, false);
            if (problems.size() == before) {
                hosts.add(new Host(name, memory, reserved, maintenance, state));
            }
        }
        return hosts;
    }

    private static List<Vm> vms(List<JsonNode> nodes, Map<String, VmHistory> history, List<String> problems) {
        List<Vm> vms = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            if (n == null) {
                continue;
            }
            int before = problems.size();
            JsonFields f = new JsonFields(n, label("vms", i, n, "uuid"), problems, VM);
            String uuid = f.string("uuid", "", true);
            String name = f.string("name", uuid, false);
            String host = f.string("host", "", true);
            long demand = f.integer("demandKiB", 0, 0, true);
            long size = f.integer("sizeKiB", demand, 0, false);
            Confidence confidence = f.enumValue("confidence", Confidence.class, Confidence.HIGH, false);
            boolean movable = f.bool("movable", true);
            if (f.has("lastMoveAtMillis") != f.has("leftHost")) {
                f.problem("lastMoveAtMillis and leftHost go together");
            }
            long lastMove = f.integer("lastMoveAtMillis", 0, 0, false);
            String leftHost = f.string("leftHost", null, false);
            if (problems.size() == before) {
                vms.add(new Vm(uuid, name, host, demand, size, confidence, movable));
                if (leftHost != null) {
                    history.put(uuid, new VmHistory(uuid, Instant.ofEpochMilli(lastMove), leftHost));
                }
            }
        }
        return vms;
    }

    private static List<Rule> rules(List<JsonNode> nodes, List<String> problems) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            if (n == null) {
                continue;
            }
            int before = problems.size();
            JsonNode type = n.get("type");
            JsonNode id = n.get("id");
            String at = "rules[" + i + "]" + (type != null && type.isTextual() ? " (" + type.asText()
                    + (id != null && id.isTextual() ? " \"" + id.asText() + "\"" : "") + ")" : "");
            JsonFields f = new JsonFields(n, at, problems, RULE);
            String ruleId = f.string("id", "rules[" + i + "]", false);
            RuleType ruleType = f.enumValue("type", RuleType.class, RuleType.ANTI_AFFINITY, true);
            List<String> vms = f.strings("vms", true);
            List<String> hosts = f.strings("hosts", false);
            boolean must = f.bool("must", true);
            if (problems.size() == before) {
                rules.add(new Rule(ruleId, ruleType, vms, hosts, must));
            }
        }
        return rules;
    }

    /** The snapshot as what-if JSON (history as {@code lastMoveAtMillis}/{@code leftHost}; trigger history dropped). */
    public static String write(Snapshot snapshot) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("cluster", snapshot.cluster());
        ArrayNode hosts = root.putArray("hosts");
        for (Host h : snapshot.hosts()) {
            ObjectNode n = hosts.addObject().put("name", h.name()).put("memoryKiB", h.memoryKiB())
                    .put("reservedKiB", h.reservedKiB()).put("maintenance", h.maintenance());
            if (h.state() != HostState.ACTIVE) {
                n.put("state", h.state().name());
            }
        }
        ArrayNode vms = root.putArray("vms");
        for (Vm vm : snapshot.vms()) {
            ObjectNode n = vms.addObject().put("uuid", vm.uuid()).put("name", vm.name()).put("host", vm.host())
                    .put("demandKiB", vm.demandKiB()).put("sizeKiB", vm.sizeKiB())
                    .put("confidence", vm.confidence().name()).put("movable", vm.movable());
            VmHistory h = snapshot.history().get(vm.uuid());
            if (h != null) {
                n.put("lastMoveAtMillis", h.lastMoveAt().toEpochMilli()).put("leftHost", h.leftHost());
            }
        }
        ArrayNode rules = root.putArray("rules");
        for (Rule rule : snapshot.rules()) {
            ObjectNode n = rules.addObject().put("id", rule.id()).put("type", rule.type().name());
            rule.vms().forEach(n.putArray("vms")::add);
            if (!rule.type().betweenVms()) {
                rule.hosts().forEach(n.putArray("hosts")::add);
            }
            n.put("must", rule.must());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
