package io.memdrs.stream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP answer: status, content type, body and extra headers. Bodies are built in full before anything is
 * written, so a failure while building one becomes a clean 500 instead of a half-sent response.
 *
 * @param status HTTP status code
 * @param contentType the Content-Type header
 * @param body the bytes to send
 * @param headers extra headers (e.g. Allow, Retry-After)
 */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json; charset=utf-8";

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    /** 200 with {@code value} written as JSON. */
    static ApiResponse json(Object value) {
        return json(200, value);
    }

    static ApiResponse json(int status, Object value) {
        try {
            return new ApiResponse(status, JSON, Json.MAPPER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** An error as {@code {"status": …, "error": "<reason phrase>", "message": "…"}}. */
    static ApiResponse error(int status, String message) {
        return json(status, new ErrorBody(status, reason(status), message));
    }

    static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, contentType, body, more);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 502 -> "bad gateway";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal error" : "error";
        };
    }

    /** The JSON body of every error. */
    record ErrorBody(int status, String error, String message) {}
}
