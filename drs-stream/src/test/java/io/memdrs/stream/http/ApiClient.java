package io.memdrs.stream.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** GETs against one instance's HTTP API, and polling with a deadline until an answer satisfies a condition. */
final class ApiClient {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The JSON body of {@code path}, which must answer 200. */
    JsonNode json(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + ": not JSON: " + response.body(), e);
        }
    }

    /** Polls {@code path} until it answers 200 with a body that satisfies {@code condition}. */
    JsonNode awaitJson(String path, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(path);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                try {
                    JsonNode body = Json.MAPPER.readTree(response.body());
                    if (condition.test(body)) {
                        return body;
                    }
                } catch (IOException e) {
                    last = "not JSON: " + response.body();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET " + path + " did not reach the expected state within " + timeout + "; last: " + last);
    }
}
