package io.memdrs.stream.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns exchanges into {@link ApiRequest}s and answers back: only GET (405 with {@code Allow: GET} otherwise), an
 * {@link ApiException} becomes its status and short JSON message, any other failure a 500 whose JSON body names
 * the exception class only (the stack trace goes to the log, never to the client).
 */
final class ApiHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final Function<ApiRequest, ApiResponse> route;

    ApiHandler(Function<ApiRequest, ApiResponse> route) {
        this.route = route;
    }

    @Override
    public void handle(HttpExchange exchange) {
        send(exchange, answer(exchange));
    }

    private ApiResponse answer(HttpExchange exchange) {
        try {
            if (!exchange.getRequestMethod().equals("GET")) {
                return ApiResponse.error(405, exchange.getRequestMethod() + " is not allowed: the API is read-only")
                        .withHeader("Allow", "GET");
            }
            return route.apply(new ApiRequest(exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().containsKey(InstanceClient.FORWARDED_HEADER)));
        } catch (ApiException e) {
            return e.response();
        } catch (RuntimeException e) {
            log.warn("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            return ApiResponse.error(500, "internal error (" + e.getClass().getSimpleName()
                    + "); see the stream app's log");
        }
    }

    private static void send(HttpExchange exchange, ApiResponse response) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            for (Map.Entry<String, String> h : response.headers().entrySet()) {
                exchange.getResponseHeaders().set(h.getKey(), h.getValue());
            }
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            log.debug("client went away before the answer to {} was sent", exchange.getRequestURI());
        }
    }
}
