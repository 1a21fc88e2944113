package io.memdrs.stream;

import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.stream.topology.DrsTopology;
import io.memdrs.stream.topology.StreamSerdes;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the topology to Kafka and runs it. Nothing here decides anything. */
public final class StreamApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamApp.class);

    private final KafkaStreams streams;

    public StreamApp(StreamConfig config, DrsSettings settings) {
        Topology topology = DrsTopology.build(settings, StreamSerdes.standard());
        log.debug("topology:\n{}", topology.describe());
        this.streams = new KafkaStreams(topology, config.streamsProperties());
        this.streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Waits until the app runs (or fails), at most {@code timeout}; true if running. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
