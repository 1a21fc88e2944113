package io.memdrs.stream.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the fields of one JSON object of a snapshot and records, against the entry's label, every field that is
 * missing, of the wrong type, out of range or unknown.
 */
final class JsonFields {
    private final JsonNode node;
    private final String at;
    private final List<String> problems;

    JsonFields(JsonNode node, String at, List<String> problems, List<String> known) {
        this.node = node;
        this.at = at;
        this.problems = problems;
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(at + ": unknown field \"" + name + "\" (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /** Records a problem of this entry. */
    void problem(String what) {
        problems.add(at + ": " + what);
    }

    boolean has(String name) {
        return node.has(name) && !node.get(name).isNull();
    }

    String string(String name, String fallback, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                problem(name + " is missing");
            }
            return fallback;
        }
        if (!v.isTextual()) {
            problem(name + " must be a string, not " + v);
            return fallback;
        }
        if (required && v.asText().isBlank()) {
            problem(name + " must not be empty");
        }
        return v.asText();
    }

    /** An integer at least {@code min}; {@code fallback} when absent and not required. */
    long integer(String name, long fallback, long min, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                problem(name + " is missing");
            }
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problem(name + " must be an integer, not " + v);
            return fallback;
        }
        long value = v.asLong();
        if (value < min) {
            problem(name + " must be " + (min == 0 ? "0 or more" : min == 1 ? "positive" : "at least " + min)
                    + ", not " + value);
            return fallback;
        }
        return value;
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            problem(name + " must be true or false, not " + v);
            return fallback;
        }
        return v.asBoolean();
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback, boolean required) {
        String text = string(name, null, required);
        if (text == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name());
        }
        problem(name + " must be one of " + allowed + ", not \"" + text + "\"");
        return fallback;
    }

    List<String> strings(String name, boolean required) {
        JsonNode v = node.get(name);
        List<String> result = new ArrayList<>();
        if (v == null || v.isNull()) {
            if (required) {
                problem(name + " is missing");
            }
            return result;
        }
        if (!v.isArray()) {
            problem(name + " must be an array of strings, not " + v);
            return result;
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                problem(name + " must contain strings only, not " + e);
            } else {
                result.add(e.asText());
            }
        }
        return result;
    }
}
