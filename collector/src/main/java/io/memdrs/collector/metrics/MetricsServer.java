package io.memdrs.collector.metrics;

import com.sun.net.httpserver.HttpServer;
import io.memdrs.http.HttpServers;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/** Serves {@code GET /metrics} in the Prometheus text format (the JDK's HTTP server: one endpoint needs no more). */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    public MetricsServer(PrometheusMeterRegistry registry, String bind, int port) {
        try {
            server = HttpServers.create(new InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bind + ":" + port, e);
        }
        server.createContext("/metrics", exchange -> {
            // Formatted into one buffer and sent with its length in one write: a chunked body of small writes waits
            // for the client's delayed ACK (40 ms on Linux) at every scrape.
            ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
            registry.scrape(body);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
