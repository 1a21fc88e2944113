package io.memdrs.stream.cli;

import io.memdrs.config.ConfigException;
import io.memdrs.config.ConfigSource;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code memdrs stream topics --bootstrap HOST:PORT --partitions N --replication R}: creates the memdrs topics that
 * do not exist yet with the admin client ({@link TopicPlan}: the control topic kept forever, retention for samples,
 * reports and dead letters). Existing topics are left as they are. TLS/SASL settings come from the
 * {@code kafka.} keys of {@code --config FILE}, as for {@code stream run}.
 */
@Command(name = "topics", mixinStandardHelpOptions = true, versionProvider = io.memdrs.stream.cli.StreamVersion.class,
        description = "Create the memdrs topics that are missing (control topic kept forever; retention for samples, "
                + "reports and dead letters). Existing topics are not changed.")
final class TopicsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]",
            description = "Brokers to connect to; overrides kafka.bootstrap.servers of --config.")
    String bootstrap;

    @Option(names = "--partitions", defaultValue = "12", paramLabel = "N",
            description = "Partitions per topic: the most stream-app instances that can share the work "
                    + "(default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication", defaultValue = "3", paramLabel = "R",
            description = "Replication factor (default: ${DEFAULT-VALUE}; 1 for a single test broker).")
    short replication;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file whose kafka.* keys configure the admin client (TLS, SASL).")
    Path config;

    @Override
    public Integer call() throws InterruptedException, ExecutionException, TimeoutException {
        if (partitions < 1 || partitions > 10_000) {
            throw new ConfigException("--partitions", partitions + " is out of range [1, 10000]");
        }
        if (replication < 1) {
            throw new ConfigException("--replication", replication + " must be at least 1");
        }
        Map<String, Object> client = new HashMap<>();
        if (config != null) {
            client.putAll(ConfigSource.load(config, System.getenv(), "kafka.").withPrefix("kafka."));
        }
        if (bootstrap != null) {
            client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        }
        if (!client.containsKey(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException("--bootstrap", "is required (or kafka.bootstrap.servers in --config)");
        }
        client.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "memdrs-topics");
        try (Admin admin = Admin.create(client)) {
            List<String> created = TopicPlan.createMissing(admin, partitions, replication);
            for (String topic : Topics.ALL) {
                spec.commandLine().getOut().printf("%-24s %s%n", topic, created.contains(topic)
                        ? "created (" + partitions + " partitions, replication " + replication + ")" : "exists");
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
