package io.memdrs.e2e.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a Prometheus server would scrape from a memdrs {@code /metrics} endpoint, read the same way. */
final class Prometheus {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String body;

    private Prometheus(String body) {
        this.body = body;
    }

    /** {@code GET http://127.0.0.1:port/metrics}; empty text when nothing answers (the program is not up yet). */
    static Prometheus scrape(int port) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Prometheus(response.statusCode() == 200 ? response.body() : "");
        } catch (IOException e) {
            return new Prometheus("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of the sample whose name and labels read exactly {@code series}, if the text has it. */
    OptionalDouble find(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+|NaN)$").matcher(body);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** Like {@link #find} with 0 for a series not (yet) exported, as for a counter never incremented. */
    double valueOr0(String series) {
        return find(series).orElse(0);
    }

    boolean answered() {
        return !body.isEmpty();
    }

    @Override
    public String toString() {
        return body;
    }
}
