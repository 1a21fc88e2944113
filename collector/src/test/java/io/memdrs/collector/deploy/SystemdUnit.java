package io.memdrs.collector.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file as systemd reads it: {@code [Section]} headers, {@code Key=Value} lines (a key may repeat),
 * comments starting with {@code #} or {@code ;}, lines continued with a trailing backslash.
 */
final class SystemdUnit {
    private final Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();

    static SystemdUnit parse(Path file) throws IOException {
        SystemdUnit unit = new SystemdUnit();
        String section = null;
        StringBuilder pending = new StringBuilder();
        int number = 0;
        for (String raw : Files.readAllLines(file)) {
            number++;
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = pending.append(line).toString();
            pending.setLength(0);
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                unit.sections.putIfAbsent(section, new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (section == null || eq <= 0) {
                throw new IllegalArgumentException(file + ":" + number + ": not a [Section] or Key=Value line: " + raw);
            }
            unit.sections.get(section).computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return unit;
    }

    boolean hasSection(String section) {
        return sections.containsKey(section);
    }

    /** Every value of {@code key} in {@code section}, in file order; empty when it is not set. */
    List<String> values(String section, String key) {
        return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The effective (last) value, or null. */
    String value(String section, String key) {
        List<String> values = values(section, key);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** The whitespace-separated words of every value of a list-valued key. */
    List<String> words(String section, String key) {
        List<String> words = new ArrayList<>();
        values(section, key).forEach(v -> words.addAll(List.of(v.split("\\s+"))));
        return words;
    }
}
