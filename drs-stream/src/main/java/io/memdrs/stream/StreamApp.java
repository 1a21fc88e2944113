package io.memdrs.stream;

import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.stream.http.HttpApi;
import io.memdrs.stream.topology.DrsTopology;
import io.memdrs.stream.taskstate.UnreadableStateException;
import io.memdrs.stream.topology.StreamSerdes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the topology to Kafka and runs it, with the read-only HTTP API and dashboard on stream.http.bind:port
 * (unless the port is 0). Nothing here decides anything.
 */
public final class StreamApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamApp.class);

    private final KafkaStreams streams;
    private final HttpApi http;

    /** Builds the app; binds the HTTP port at once (a port in use fails here, not later). */
    public StreamApp(StreamConfig config, DrsSettings settings) {
        Topology topology = DrsTopology.build(settings, StreamSerdes.standard());
        log.debug("topology:\n{}", topology.describe());
        Properties properties = config.streamsProperties();
        this.streams = new KafkaStreams(topology, properties);
        this.streams.setUncaughtExceptionHandler(e -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UnreadableStateException unreadable) {
                    log.error("stopping: {} (a release older than the one that wrote it? start it with a new "
                            + "stream.application-id instead)", unreadable.getMessage());
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                }
            }
            log.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        try {
            this.http = config.httpPort() > 0 ? openHttp(config, settings, properties) : null;
        } catch (RuntimeException e) {
            streams.close(Duration.ZERO);
            throw e;
        }
    }

    private HttpApi openHttp(StreamConfig config, DrsSettings settings, Properties properties) {
        Object server = properties.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        HostInfo advertised = HostInfo.buildFromEndpoint(server == null ? config.httpBind() + ":" + config.httpPort()
                : server.toString());
        if (advertised.host().equals("0.0.0.0") || advertised.host().equals("::")) {
            log.warn("application.server is {}: other instances cannot reach this one there; with several instances "
                    + "set streams.application.server to a host:port they can reach", server);
        }
        return new HttpApi(new InetSocketAddress(config.httpBind(), config.httpPort()), streams, settings, advertised);
    }

    /** Starts the stream threads, then the HTTP API. */
    public void start() {
        streams.start();
        if (http != null) {
            http.start();
        }
    }

    /** Where the HTTP API listens; empty when stream.http.port is 0. */
    public Optional<InetSocketAddress> httpAddress() {
        return Optional.ofNullable(http).map(HttpApi::address);
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
        if (http != null) {
            http.close();
        }
        // Leave the group on a clean stop, so another instance takes the clusters over at once instead of after
        // the session timeout.
        streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
    }
}
