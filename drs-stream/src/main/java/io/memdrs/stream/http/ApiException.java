package io.memdrs.stream.http;

/** Stops handling a request with an HTTP status and a short message for the client (never a stack trace). */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient java.util.Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, java.util.Map.of());
    }

    ApiException(int status, String message, java.util.Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = java.util.Map.copyOf(headers);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** The state is not queryable right now (starting, rebalancing, restoring): the client should retry. */
    static ApiException unavailable(String message) {
        return new ApiException(503, message, java.util.Map.of("Retry-After", "1"));
    }

    ApiResponse response() {
        ApiResponse response = ApiResponse.error(status, getMessage());
        for (var h : headers.entrySet()) {
            response = response.withHeader(h.getKey(), h.getValue());
        }
        return response;
    }

    int status() {
        return status;
    }
}
