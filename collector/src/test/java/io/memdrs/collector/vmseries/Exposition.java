package io.memdrs.collector.vmseries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a Prometheus text-format scrape, read the way Prometheus reads them (comments skipped). */
public record Exposition(List<Series> series) {

    /** One sample line: name, labels (those with an empty value dropped, as Prometheus drops them) and value. */
    public record Series(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    public static Exposition parse(String text) {
        List<Series> all = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    String value = l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
                    if (!value.isEmpty()) {
                        labels.put(l.group(1), value);
                    }
                }
            }
            all.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return new Exposition(all);
    }

    public List<Series> named(String name) {
        return series.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The series named {@code name} of VM {@code uuid} (label resource). */
    public List<Series> of(String name, String uuid) {
        return series.stream().filter(s -> s.name().equals(name) && uuid.equals(s.labels().get("resource"))).toList();
    }
}
