package io.memdrs.stream.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a request the API looks at.
 *
 * @param rawPath the path as sent (percent-encoded)
 * @param rawQuery the query as sent, or null
 * @param forwarded whether another instance forwarded it (it is then never forwarded again)
 */
record ApiRequest(String rawPath, String rawQuery, boolean forwarded) {

    /** The path's segments, percent-decoded; {@code /clusters/a%2Fb/hosts} → [clusters, a/b, hosts]. */
    List<String> segments() {
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** The value of query parameter {@code name}, or null. */
    String query(String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Path and query, to send on to another instance unchanged. */
    String pathAndQuery() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }
}
