package io.memdrs.stream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiHandlerTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    private URI serve(Function<ApiRequest, ApiResponse> route, String path) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", new ApiHandler(route));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldRefuseEveryMethodButGetWith405() throws Exception {
        URI uri = serve(r -> ApiResponse.json(List.of()), "/clusters");
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, response.statusCode(), method);
            assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
            assertEquals(405, Json.MAPPER.readTree(response.body()).get("status").asInt());
        }
    }

    @Test
    void shouldAnswer500WithAShortJsonMessageAndNoStackTrace() throws Exception {
        URI uri = serve(r -> {
            throw new IllegalStateException("secret detail at io.memdrs.Something.method(Something.java:42)");
        }, "/clusters/x/hosts");
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertEquals("internal error", body.get("error").asText());
        assertFalse(response.body().contains("secret"), response.body());
        assertFalse(response.body().contains("Something.java"), response.body());
    }

    @Test
    void shouldAnswerAnApiExceptionWithItsStatusAndHeaders() throws Exception {
        URI uri = serve(r -> {
            throw ApiException.unavailable("rebalancing");
        }, "/clusters/x/hosts");
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, response.statusCode());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        assertEquals("rebalancing", Json.MAPPER.readTree(response.body()).get("message").asText());
    }

    @Test
    void shouldDecodeClusterIdsAndMarkForwardedRequests() throws Exception {
        URI uri = serve(r -> ApiResponse.json(List.of(r.segments(), r.forwarded(), String.valueOf(r.query("scope")))),
                "/clusters/eu%2Fwest%20a+b/hosts?scope=local");
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("[[\"clusters\",\"eu/west a+b\",\"hosts\"],false,\"local\"]", plain.body());
        HttpResponse<String> forwarded = client.send(HttpRequest.newBuilder(uri)
                .header(InstanceClient.FORWARDED_HEADER, "1").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(Json.MAPPER.readTree(forwarded.body()).get(1).asBoolean());
    }
}
