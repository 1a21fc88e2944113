package io.memdrs.e2e.reliability;

import io.memdrs.config.ConfigSource;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;

/** The stream app in this JVM, configured the way {@code memdrs stream run} configures it from a file. */
final class StreamApps {
    private StreamApps() {}

    /** Every key the app reads from its file: {@code stream.}, {@code kafka.}, {@code streams.}, {@code drs.}. */
    static Map<String, String> config(String bootstrap, String appId, Path stateDir, Map<String, String> more) {
        Map<String, String> config = new HashMap<>();
        config.put("stream.application-id", appId);
        config.put("stream.state-dir", stateDir.toString());
        config.put("stream.http.port", "0");
        config.put("kafka.bootstrap.servers", bootstrap);
        config.putAll(more);
        return config;
    }

    /** Starts the app and waits until it runs. */
    static StreamApp start(Map<String, String> config) throws InterruptedException {
        ConfigSource source = ConfigSource.of(config);
        StreamApp app = new StreamApp(StreamConfig.from(source), DrsSettings.from(source));
        app.start();
        if (!app.awaitRunning(Duration.ofSeconds(90))) {
            app.close();
            throw new AssertionError("stream app did not reach RUNNING: " + app.streams().state());
        }
        return app;
    }

    /** The sum over all stream threads of the app's Kafka Streams metric {@code name}, e.g. dead-letter-total. */
    static double metric(StreamApp app, String name) {
        double sum = 0;
        for (Metric metric : app.streams().metrics().values()) {
            if (metric.metricName().name().equals(name) && metric.metricValue() instanceof Number n) {
                sum += n.doubleValue();
            }
        }
        return sum;
    }
}
