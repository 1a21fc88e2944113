package io.memdrs.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Masks secret values (passwords, JAAS configs, keys, tokens) before configuration is logged or printed. */
public final class Redaction {
    public static final String MASK = "********";

    private Redaction() {}

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.endsWith(".key") || k.contains("credential");
    }

    public static Map<String, String> mask(Map<String, ?> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, isSecret(k) ? MASK : String.valueOf(v)));
        return out;
    }
}
