package io.memdrs.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker (KRaft, broker and controller in one) running inside this JVM, on loopback
 * ports chosen at first start and kept across restarts, with all its data under one directory. For tests and the
 * demo; production runs a real cluster.
 *
 * <p>{@link #stop()} and {@link #start()} simulate a broker outage without losing the log: the same ports, the
 * same data, the same cluster id.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String PORTS_FILE = "ports.properties";

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private final List<String> formatArguments;
    private final Map<String, String> adminProperties;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, Map<String, String> overrides, List<String> formatArguments,
                                Map<String, String> adminProperties) {
        this.dataDir = dataDir.toAbsolutePath();
        this.overrides = Map.copyOf(overrides);
        this.formatArguments = List.copyOf(formatArguments);
        this.adminProperties = Map.copyOf(adminProperties);
        int[] ports = loadOrPickPorts(this.dataDir);
        this.brokerPort = ports[0];
        this.controllerPort = ports[1];
    }

    /** Starts a broker whose data lives under {@code dataDir} (created, or reused if it holds a formatted log). */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** As {@link #start(Path)}, with broker properties that override the defaults (e.g. listeners for SASL). */
    public static EmbeddedKafkaBroker start(Path dataDir, Map<String, String> overrides) {
        return start(dataDir, overrides, List.of(), Map.of());
    }

    /**
     * As {@link #start(Path, Map)}, for a broker whose client listener wants credentials: {@code formatArguments} are
     * added to the storage format of a new data directory (e.g. {@code --add-scram SCRAM-SHA-512=[name=admin,...]}
     * creates users before the broker first starts), and {@code adminProperties} are the client properties its own
     * readiness check and {@link #admin()} connect with (e.g. {@code security.protocol}, {@code sasl.*}).
     */
    public static EmbeddedKafkaBroker start(Path dataDir, Map<String, String> overrides, List<String> formatArguments,
                                           Map<String, String> adminProperties) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, overrides, formatArguments, adminProperties);
        broker.start();
        return broker;
    }

    /** {@code host:port} of the client listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Starts (or restarts after {@link #stop()}) the broker and waits until it answers. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long began = System.nanoTime();
        Properties props = serverProperties();
        formatIfNeeded(props);
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        started.startup();
        server = started;
        awaitReady(Duration.ofSeconds(60));
        log.info("Embedded Kafka broker up on {} in {} ms (data in {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), dataDir);
    }

    /** Stops the broker, keeping its data and ports, so that {@link #start()} brings the same broker back. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("Embedded Kafka broker on {} stopped", bootstrapServers());
    }

    /** Creates topics that do not exist yet. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic creation did not finish within 30 s", e);
        }
    }

    /** Creates topics with {@code partitions} partitions each. */
    public void createTopics(int partitions, String... names) {
        createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList());
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Map<String, Object> config = new java.util.HashMap<>(adminProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }

    @Override
    public void close() {
        stop();
    }

    Properties serverProperties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("log").toString());
        BrokerDefaults.apply(p, 1, 1);
        overrides.forEach(p::setProperty);
        return p;
    }

    private void formatIfNeeded(Properties props) {
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Path config = dataDir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                props.store(out, "embedded Kafka broker");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            List<String> arguments = new java.util.ArrayList<>(List.of("format", "--standalone", "--ignore-formatted",
                    "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
            arguments.addAll(formatArguments);
            int exit = StorageTool.execute(arguments.toArray(String[]::new),
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exit != 0) {
                throw new IllegalStateException("formatting " + logDir + " failed (exit " + exit + "): "
                        + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dataDir, e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("embedded broker did not answer on " + bootstrapServers() + " within " + timeout, last);
    }

    private static int[] loadOrPickPorts(Path dataDir) {
        Path file = dataDir.resolve(PORTS_FILE);
        try {
            Properties ports = new Properties();
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    ports.load(in);
                }
                return new int[] {Integer.parseInt(ports.getProperty("broker")), Integer.parseInt(ports.getProperty("controller"))};
            }
            Files.createDirectories(dataDir);
            int broker = freePort();
            int controller = freePort();
            while (controller == broker) {
                controller = freePort();
            }
            ports.setProperty("broker", Integer.toString(broker));
            ports.setProperty("controller", Integer.toString(controller));
            try (Writer out = Files.newBufferedWriter(file)) {
                ports.store(out, "loopback ports of the embedded broker, kept across restarts");
            }
            return new int[] {broker, controller};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
