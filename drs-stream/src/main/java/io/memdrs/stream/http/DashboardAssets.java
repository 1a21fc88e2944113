package io.memdrs.stream.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's files, read once from the jar ({@code io/memdrs/stream/http/dashboard/}). Only these names are
 * served: a request cannot reach any other resource.
 */
final class DashboardAssets {
    private static final String BASE = "/io/memdrs/stream/http/dashboard/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    private final Map<String, ApiResponse> assets;

    DashboardAssets() {
        Map<String, ApiResponse> loaded = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> loaded.put(name, new ApiResponse(200, type, read(name), Map.of())));
        this.assets = Map.copyOf(loaded);
    }

    /** The page itself. */
    ApiResponse index() {
        return assets.get("index.html");
    }

    /** A file of the page, or 404. */
    ApiResponse asset(String name) {
        ApiResponse asset = assets.get(name);
        if (asset == null) {
            throw ApiException.notFound("no dashboard file '" + name + "'");
        }
        return asset;
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + BASE + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
