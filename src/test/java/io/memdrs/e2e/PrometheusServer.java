package io.memdrs.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memdrs.e2e.reliability.Await;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server, Debian's {@code prometheus} package, run by a test: its own configuration, data
 * directory and loopback port, asked through its HTTP API as OpenStack Watcher asks it. Installed with apt-get when
 * missing (as root); where it can be neither found nor installed the calling test is skipped, naming the package.
 */
public final class PrometheusServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One raw sample of a range vector: Prometheus' timestamp (seconds) and value. */
    public record Sample(double time, double value) {}

    private final Process process;
    private final int port;
    private final Path log;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Skips the calling test unless {@link #BINARY} exists or can be installed now. */
    static void installedOrSkip() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        Assumptions.assumeTrue(Lab.runningAsRoot(), "Debian's prometheus package is not installed and installing it "
                + "needs root: apt-get install --no-install-recommends prometheus");
        String out = run(List.of("sh", "-c", "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q"
                + " --no-install-recommends prometheus"));
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                () -> "Debian's prometheus package cannot be installed here (apt-get install prometheus):\n" + out);
    }

    /**
     * Starts Prometheus scraping {@code targets} (host:port → target labels) every {@code interval}, with its data in
     * {@code dir}; returns once it answers {@code /-/ready}.
     */
    static PrometheusServer start(Path dir, Map<String, Map<String, String>> targets, Duration interval)
            throws IOException {
        installedOrSkip();
        Files.createDirectories(dir.resolve("data"));
        StringBuilder config = new StringBuilder()
                .append("global:\n  scrape_interval: ").append(interval.toMillis()).append("ms\n")
                .append("  evaluation_interval: ").append(interval.toMillis()).append("ms\n")
                .append("scrape_configs:\n  - job_name: memdrs\n    scrape_interval: ").append(interval.toMillis())
                .append("ms\n    scrape_timeout: ").append(interval.toMillis()).append("ms\n    static_configs:\n");
        targets.forEach((target, labels) -> {
            config.append("      - targets: ['").append(target).append("']\n        labels:\n");
            labels.forEach((k, v) -> config.append("          ").append(k).append(": '").append(v).append("'\n"));
        });
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = LoopbackPorts.free();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, port, log);
        try {
            Await.until("Prometheus to be ready on port " + port, Duration.ofSeconds(60), server::ready);
        } catch (AssertionError e) {
            server.close();
            throw new AssertionError(e.getMessage() + "\n" + server.log(), e);
        }
        return server;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("Prometheus exited " + process.exitValue() + ":\n" + log());
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code GET /api/v1/query?query=…&time=…}: the {@code data.result} array of an instant query. */
    JsonNode query(String promql, double epochSeconds) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time="
                + String.format(java.util.Locale.ROOT, "%.3f", epochSeconds));
    }

    /** The raw samples of the one series {@code selector} selects over the {@code window} before {@code time}. */
    List<Sample> samples(String selector, Duration window, double epochSeconds) {
        JsonNode result = query(selector + "[" + window.toSeconds() + "s]", epochSeconds);
        if (result.size() != 1) {
            throw new AssertionError(selector + " selects " + result.size() + " series, expected 1: " + result);
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode v : result.get(0).path("values")) {
            samples.add(new Sample(v.get(0).asDouble(), Double.parseDouble(v.get(1).asText())));
        }
        return samples;
    }

    /** {@code GET /api/v1/targets}: the active targets with their labels and last scrape error. */
    JsonNode targets() {
        return getData("/api/v1/targets").path("activeTargets");
    }

    private JsonNode get(String pathAndQuery) {
        return getData(pathAndQuery).path("result");
    }

    private JsonNode getData(String pathAndQuery) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                throw new AssertionError("Prometheus answered " + pathAndQuery + " with " + response.statusCode() + ": "
                        + response.body());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new AssertionError("Prometheus did not answer " + pathAndQuery + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.MINUTES);
            return out;
        } catch (IOException e) {
            return "cannot run " + command + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
