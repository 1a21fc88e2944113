package io.memdrs.stream.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another instance's HTTP API, marking the request as forwarded so that it is never forwarded again (two
 * instances that briefly disagree about ownership during a rebalance answer from what they hold instead of
 * bouncing the request between them).
 */
final class InstanceClient {
    static final String FORWARDED_HEADER = "X-Memdrs-Forwarded";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final Duration timeout;

    InstanceClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code GET pathAndQuery} on {@code target}; its status, type and body pass through unchanged. */
    ApiResponse get(HostInfo target, String pathAndQuery) {
        URI uri = URI.create("http://" + target.host() + ":" + target.port() + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header(FORWARDED_HEADER, "1").GET().build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse(ApiResponse.JSON);
            return new ApiResponse(response.statusCode(), type, response.body(), Map.of());
        } catch (IOException e) {
            throw new ApiException(502, "instance " + ClusterLocator.name(target) + " did not answer: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while asking instance " + ClusterLocator.name(target));
        }
    }
}
