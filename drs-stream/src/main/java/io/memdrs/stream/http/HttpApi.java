package io.memdrs.stream.http;

import com.sun.net.httpserver.HttpServer;
import io.memdrs.http.HttpServers;
import io.memdrs.stream.config.DrsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream app's read-only HTTP API and dashboard (see {@link Router} for the endpoints), served from Kafka
 * Streams interactive queries and correct with several instances: a request for a cluster is answered by the
 * instance that owns it. It runs on the JDK's built-in {@code com.sun.net.httpserver} server: a handful of GET
 * endpoints need no framework. Only GET is allowed ({@link ApiHandler}).
 *
 * <p>The constructor binds the socket (so a port in use fails at start-up); {@link #start()} begins serving.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusEndpoint metrics;

    /**
     * Binds {@code address} and prepares the endpoints.
     *
     * @param address where to listen (stream.http.bind, stream.http.port)
     * @param streams the app, queried for state and metadata
     * @param settings the decision settings, for the views and {@code /config}
     * @param advertised this instance as the other instances reach it: its {@code application.server}
     */
    public HttpApi(InetSocketAddress address, KafkaStreams streams, DrsSettings settings, HostInfo advertised) {
        ClusterLocator locator = new ClusterLocator(streams, advertised);
        ClusterEndpoints clusters = new ClusterEndpoints(streams, locator, new InstanceClient(Duration.ofSeconds(10)),
                settings, System::currentTimeMillis);
        this.metrics = new PrometheusEndpoint(streams, clusters::localClusterViews);
        Router router = new Router(clusters, new InstanceEndpoints(streams, settings, ClusterLocator.name(advertised)),
                metrics, new DashboardAssets());
        try {
            this.server = HttpServers.create(address);
        } catch (IOException e) {
            metrics.close();
            throw new UncheckedIOException("cannot listen on " + address.getHostString() + ":" + address.getPort()
                    + " (stream.http.bind, stream.http.port): " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "memdrs-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", new ApiHandler(router::route));
    }

    /** Begins serving. */
    public void start() {
        server.start();
        log.info("HTTP API and dashboard on http://{}:{}/", server.getAddress().getHostString(), port());
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops serving (connections in flight are closed) and releases the metrics binder. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        metrics.close();
    }
}
