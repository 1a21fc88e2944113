package io.memdrs.stream.whatif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memdrs.engine.HostLoadLine;
import io.memdrs.engine.Plan;
import io.memdrs.engine.Recommendation;
import io.memdrs.engine.Wave;
import io.memdrs.engine.RejectedAlternative;
import java.util.List;

/**
 * A plan as the DESIGN §4 "JSON output" of {@code what-if}:
 * <pre>
 * {"cluster", "round", "createdAt", "outcome", "summary", "imbalanceBefore", "imbalanceAfter", "targetImbalance",
 *  "stopImbalance", "migrationThreshold", "policyVersion", "hostCount", "vmCount", "bytesToCopyKiB",
 *  "recommendations": [{"id", "sequence", "vm", "vmName", "source", "target", "priority", "reason", "demandKiB",
 *      "sizeKiB", "confidence", "sourceLoadBefore", "sourceLoadAfter", "targetLoadBefore", "targetLoadAfter",
 *      "imbalanceBefore", "imbalanceAfter", "goodness", "trigger": {"metric", "value", "threshold",
 *      "sustainedSeconds"}, "rejectedAlternatives": [{"vm", "vmName", "target", "kind", "reason"}],
 *      "explanation", "policyVersion", "expiresAt", "expiresAtMillis"}],
 *  "rejected": [{"vm", "vmName", "target", "kind", "reason"}],
 *  "notes": ["…"],
 *  "hosts": [{"name", "state", "maintenance", "capacityKiB", "demandKiBBefore", "demandKiBAfter", "loadBefore",
 *      "loadAfter", "vmCount", "inImbalance"}]}
 * </pre>
 * Loads and imbalances are fractions (0.73 = 73 %), rounded to 6 decimals; the target of level 1 (no target:
 * mandatory moves only) is {@code null}. Ids are {@code <cluster>:<round>:<sequence>}.
 */
public final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    /** The plan as pretty-printed JSON, ending with a newline. */
    public static String render(Plan plan, long round) {
        try {
            return MAPPER.writeValueAsString(tree(plan, round)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plan as a JSON tree. */
    public static ObjectNode tree(Plan plan, long round) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("cluster", plan.cluster());
        root.put("round", round);
        root.put("createdAt", plan.createdAt().toString());
        root.put("outcome", plan.outcome().name());
        root.put("summary", plan.summary());
        fraction(root, "imbalanceBefore", plan.imbalanceBefore());
        fraction(root, "imbalanceAfter", plan.imbalanceAfter());
        fraction(root, "targetImbalance", plan.targetImbalance());
        fraction(root, "stopImbalance", plan.stopImbalance());
        root.put("migrationThreshold", plan.migrationThreshold());
        root.put("policyVersion", plan.policyVersion());
        root.put("hostCount", plan.hostCount());
        root.put("vmCount", plan.vmCount());
        root.put("bytesToCopyKiB", plan.bytesToCopyKiB());
        ArrayNode recs = root.putArray("recommendations");
        for (Recommendation r : plan.recommendations()) {
            recommendation(recs.addObject(), r, plan, round);
        }
        ArrayNode waves = root.putArray("waves");
        for (Wave w : plan.waves()) {
            ObjectNode wave = waves.addObject();
            wave.put("wave", w.wave());
            ArrayNode moves = wave.putArray("recommendations");
            for (Recommendation r : w.recommendations()) {
                recommendation(moves.addObject(), r, plan, round);
            }
            fraction(wave, "imbalanceAfter", w.imbalanceAfter());
            wave.put("bytesToCopyKiB", w.bytesToCopyKiB());
        }
        fraction(root, "planImbalanceAfter", plan.planImbalanceAfter());
        root.put("planMoves", plan.planMoves());
        root.put("planBytesToCopyKiB", plan.planBytesToCopyKiB());
        alternatives(root.putArray("rejected"), plan.rejected());
        ArrayNode notes = root.putArray("notes");
        plan.notes().forEach(notes::add);
        ArrayNode hosts = root.putArray("hosts");
        for (HostLoadLine h : plan.hosts()) {
            ObjectNode n = hosts.addObject();
            n.put("name", h.host());
            n.put("state", h.state().name());
            n.put("maintenance", h.maintenance());
            n.put("capacityKiB", h.capacityKiB());
            n.put("demandKiBBefore", h.demandBeforeKiB());
            n.put("demandKiBAfter", h.demandAfterKiB());
            fraction(n, "loadBefore", h.loadBefore());
            fraction(n, "loadAfter", h.loadAfter());
            n.put("vmCount", h.vmCount());
            n.put("inImbalance", h.inImbalance());
        }
        return root;
    }

    private static void recommendation(ObjectNode n, Recommendation r, Plan plan, long round) {
        n.put("id", Recommendation.id(plan.cluster(), round, r.sequence()));
        n.put("sequence", r.sequence());
        n.put("vm", r.vmUuid());
        n.put("vmName", r.vmName());
        n.put("source", r.source());
        n.put("target", r.target());
        n.put("priority", r.priority());
        n.put("reason", r.reason().name());
        n.put("demandKiB", r.demandKiB());
        n.put("sizeKiB", r.sizeKiB());
        n.put("confidence", r.confidence().name());
        fraction(n, "sourceLoadBefore", r.sourceLoadBefore());
        fraction(n, "sourceLoadAfter", r.sourceLoadAfter());
        fraction(n, "targetLoadBefore", r.targetLoadBefore());
        fraction(n, "targetLoadAfter", r.targetLoadAfter());
        fraction(n, "imbalanceBefore", r.imbalanceBefore());
        fraction(n, "imbalanceAfter", r.imbalanceAfter());
        fraction(n, "goodness", r.goodness());
        ObjectNode t = n.putObject("trigger");
        t.put("metric", r.trigger().metric());
        fraction(t, "value", r.trigger().value());
        fraction(t, "threshold", r.trigger().threshold());
        t.put("sustainedSeconds", r.trigger().sustainedSeconds());
        alternatives(n.putArray("rejectedAlternatives"), r.rejectedAlternatives());
        n.put("explanation", r.explanation());
        n.put("policyVersion", r.policyVersion());
        n.put("expiresAt", r.expiresAt().toString());
        n.put("expiresAtMillis", r.expiresAt().toEpochMilli());
    }

    private static void alternatives(ArrayNode array, List<RejectedAlternative> alternatives) {
        for (RejectedAlternative a : alternatives) {
            ObjectNode n = array.addObject();
            n.put("vm", a.vmUuid());
            n.put("vmName", a.vmName());
            if (a.targetHost() == null) {
                n.putNull("target");
            } else {
                n.put("target", a.targetHost());
            }
            n.put("kind", a.kind().name());
            n.put("reason", a.reason());
        }
    }

    private static void fraction(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, Math.round(value * 1e6) / 1e6);
        } else {
            node.putNull(name);
        }
    }
}
