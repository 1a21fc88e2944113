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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster of several KRaft nodes (each broker and controller, the controllers one quorum)
 * inside this JVM, on loopback ports chosen at first start and kept across restarts, each node's data under
 * {@code dir/node-N}. Defaults are those of a replicated production cluster: replication factor 3 (or the number of
 * nodes, if fewer) for new topics and the internal ones, {@code min.insync.replicas} 2. For tests of losing a broker:
 * {@link #stopNode(int)} takes a node away without a controlled shutdown (its leaderships are not handed over; the
 * controller fences it once its heartbeats stop) and {@link #startNode(int)} brings it back with its data.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final String PORTS_FILE = "ports.properties";

    private final Path dir;
    private final int nodes;
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final Map<String, String> overrides;
    private final String clusterId;
    private final KafkaRaftServer[] servers;

    private EmbeddedKafkaCluster(Path dir, int nodes, Map<String, String> overrides) {
        this.dir = dir.toAbsolutePath();
        this.nodes = nodes;
        this.overrides = Map.copyOf(overrides);
        this.brokerPorts = new int[nodes];
        this.controllerPorts = new int[nodes];
        this.clusterId = loadOrPickPorts();
        this.servers = new KafkaRaftServer[nodes];
    }

    /** Starts a cluster of {@code nodes} nodes (1 to 9) under {@code dir}, created or reused, and waits for it. */
    public static EmbeddedKafkaCluster start(Path dir, int nodes) {
        return start(dir, nodes, Map.of());
    }

    /** As {@link #start(Path, int)}, with broker properties that override the defaults on every node. */
    public static EmbeddedKafkaCluster start(Path dir, int nodes, Map<String, String> overrides) {
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("nodes must be 1 to 9, not " + nodes);
        }
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(dir, nodes, overrides);
        long began = System.nanoTime();
        List<Thread> starting = new ArrayList<>();
        List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The nodes start together: each waits for a quorum of controllers before it finishes starting.
        for (int id = 1; id <= nodes; id++) {
            int node = id;
            Thread t = new Thread(() -> {
                try {
                    cluster.launch(node);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "embedded-kafka-start-" + id);
            t.start();
            starting.add(t);
        }
        for (Thread t : starting) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the cluster", e);
            }
        }
        if (!failures.isEmpty()) {
            cluster.close();
            throw failures.get(0);
        }
        cluster.awaitBrokers(nodes, Duration.ofSeconds(90));
        log.info("Embedded Kafka cluster of {} nodes up on {} in {} ms", nodes, cluster.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        return cluster;
    }

    /** {@code host:port} of every node's client listener. */
    public String bootstrapServers() {
        StringJoiner all = new StringJoiner(",");
        for (int port : brokerPorts) {
            all.add("127.0.0.1:" + port);
        }
        return all.toString();
    }

    public int nodes() {
        return nodes;
    }

    public synchronized boolean isRunning(int node) {
        return servers[index(node)] != null;
    }

    /**
     * Takes node {@code node} (1-based) away: its broker and controller stop without handing leadership over, so
     * its partitions are without a leader until the controller fences it and elects another replica.
     */
    public synchronized void stopNode(int node) {
        KafkaRaftServer server = servers[index(node)];
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        servers[index(node)] = null;
        log.info("Embedded Kafka node {} stopped", node);
    }

    /** Brings node {@code node} back on its data and ports, and waits until the cluster counts it again. */
    public void startNode(int node) {
        launch(node);
        awaitBrokers(runningNodes(), Duration.ofSeconds(60));
        log.info("Embedded Kafka node {} started again", node);
    }

    /** The node id leading {@code partition} now, if it has a leader. */
    public Optional<Integer> leaderOf(TopicPartition partition) {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(partition.topic())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(partition.topic());
            TopicPartitionInfo info = description.partitions().get(partition.partition());
            Node leader = info.leader();
            return leader == null || leader.isEmpty() ? Optional.empty() : Optional.of(leader.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + partition.topic(), e);
        }
    }

    /** The node ids in sync for {@code partition} now. */
    public List<Integer> inSyncReplicasOf(TopicPartition partition) {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(partition.topic())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(partition.topic());
            return description.partitions().get(partition.partition()).isr().stream().map(Node::id).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + partition.topic(), e);
        }
    }

    /** An admin client for the cluster; the caller closes it. */
    public Admin admin() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }

    @Override
    public synchronized void close() {
        for (int id = nodes; id >= 1; id--) {
            stopNode(id);
        }
    }

    private synchronized int runningNodes() {
        int n = 0;
        for (KafkaRaftServer s : servers) {
            n += s == null ? 0 : 1;
        }
        return n;
    }

    private void launch(int node) {
        synchronized (this) {
            if (servers[index(node)] != null) {
                return;
            }
        }
        Properties props = serverProperties(node);
        formatIfNeeded(node, props);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        synchronized (this) {
            servers[index(node)] = server;
        }
    }

    Properties serverProperties(int node) {
        int replication = Math.min(3, nodes);
        int minIsr = Math.min(2, nodes);
        StringJoiner voters = new StringJoiner(",");
        for (int id = 1; id <= nodes; id++) {
            voters.add(id + "@127.0.0.1:" + controllerPorts[index(id)]);
        }
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(node));
        p.setProperty("controller.quorum.voters", voters.toString());
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[index(node)] + ",CONTROLLER://127.0.0.1:"
                + controllerPorts[index(node)]);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[index(node)]);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", nodeDir(node).resolve("log").toString());
        BrokerDefaults.apply(p, replication, minIsr);
        p.setProperty("default.replication.factor", Integer.toString(replication));
        p.setProperty("min.insync.replicas", Integer.toString(minIsr));
        // A node taken away is noticed in seconds: fenced after 4 s without a heartbeat, its replicas out of sync.
        p.setProperty("controlled.shutdown.enable", "false");
        p.setProperty("broker.heartbeat.interval.ms", "500");
        p.setProperty("broker.session.timeout.ms", "4000");
        p.setProperty("replica.lag.time.max.ms", "5000");
        p.setProperty("unclean.leader.election.enable", "false");
        overrides.forEach(p::setProperty);
        return p;
    }

    private void formatIfNeeded(int node, Properties props) {
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(nodeDir(node));
            Path config = nodeDir(node).resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                props.store(out, "embedded Kafka cluster node " + node);
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit = StorageTool.execute(new String[] {"format", "--ignore-formatted", "-t", clusterId, "-c",
                    config.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exit != 0) {
                throw new IllegalStateException("formatting " + logDir + " failed (exit " + exit + "): "
                        + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + nodeDir(node), e);
        }
    }

    private void awaitBrokers(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= expected) {
                        return;
                    }
                    Thread.sleep(100);
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the embedded cluster did not count " + expected + " brokers within " + timeout, last);
    }

    private Path nodeDir(int node) {
        return dir.resolve("node-" + node);
    }

    private int index(int node) {
        if (node < 1 || node > nodes) {
            throw new IllegalArgumentException("no node " + node + " in a cluster of " + nodes);
        }
        return node - 1;
    }

    /** Reads the ports and cluster id of an existing cluster, or picks and records new ones. */
    private String loadOrPickPorts() {
        Path file = dir.resolve(PORTS_FILE);
        try {
            Properties ports = new Properties();
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    ports.load(in);
                }
                for (int id = 1; id <= nodes; id++) {
                    brokerPorts[index(id)] = Integer.parseInt(ports.getProperty("broker." + id));
                    controllerPorts[index(id)] = Integer.parseInt(ports.getProperty("controller." + id));
                }
                return ports.getProperty("cluster.id");
            }
            Files.createDirectories(dir);
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            for (int id = 1; id <= nodes; id++) {
                brokerPorts[index(id)] = freePort(taken);
                controllerPorts[index(id)] = freePort(taken);
                ports.setProperty("broker." + id, Integer.toString(brokerPorts[index(id)]));
                ports.setProperty("controller." + id, Integer.toString(controllerPorts[index(id)]));
            }
            String id = Uuid.randomUuid().toString();
            ports.setProperty("cluster.id", id);
            try (Writer out = Files.newBufferedWriter(file)) {
                ports.store(out, "loopback ports and cluster id of the embedded cluster, kept across restarts");
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static int freePort(java.util.Set<Integer> taken) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                if (taken.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }
}
