package io.memdrs.collector;

import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** A collector whose Kafka is away (nothing listens at its bootstrap address): polls never wait for it. */
public final class KafkaAway {
    private KafkaAway() {}

    /** A loopback address nothing listens on. */
    public static String bootstrap() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration of {@code collectorKeys} with Kafka away, metrics endpoint off and sends that fail fast. */
    public static CollectorConfig config(Map<String, String> collectorKeys) {
        Map<String, String> all = new HashMap<>(collectorKeys);
        all.putIfAbsent("collector.metrics.port", "0");
        all.put("kafka.bootstrap.servers", bootstrap());
        all.put("kafka.max.block.ms", "200");
        return CollectorConfig.from(ConfigSource.of(all));
    }

    public static SamplePublisher publisher(CollectorConfig config, CollectorMetrics metrics) {
        return new SamplePublisher(config.kafka(), config.vmTopic(), config.hostTopic(), config.outageTolerance(),
                config.bufferRecords(), metrics);
    }
}
