package io.memdrs.stream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.stream.cli.StreamCommand;
import io.memdrs.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** deploy/topics/create-topics.sh and {@code memdrs stream topics} against a real broker. */
@Tag("integration")
class TopicsScriptTest {
    @TempDir
    static Path work;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(work.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldCreateEveryTopicOnceWithThePlannedSettings() throws Exception {
        String first = runScript("--bootstrap", broker.bootstrapServers(), "--partitions", "3", "--replication", "1");
        for (String topic : Topics.ALL) {
            assertTrue(first.contains(topic), first);
        }
        assertTrue(first.contains("created (3 partitions, replication 1)"), first);
        try (Admin admin = broker.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames().get(30, TimeUnit.SECONDS);
            topics.values().forEach(t -> assertEquals(3, t.partitions().size(), t.name()));
            ConfigResource control = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONTROL);
            Config config = admin.describeConfigs(List.of(control)).all().get(30, TimeUnit.SECONDS).get(control);
            assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(),
                    "keyed by cluster: compaction would keep only each cluster's last instruction");
            assertEquals("-1", config.get(TopicConfig.RETENTION_MS_CONFIG).value(), "operators' instructions kept");
        }

        String second = runScript("--bootstrap", broker.bootstrapServers(), "--partitions", "6", "--replication", "1");
        assertTrue(!second.contains("created (") && second.contains("exists"), "existing topics are left alone: " + second);
    }

    @Test
    void shouldExitWith2NamingTheMissingBootstrap() {
        StringWriter err = new StringWriter();
        CommandLine cli = StreamCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("topics", "--partitions", "3"));
        assertTrue(err.toString().contains("--bootstrap"), err.toString());
        assertEquals(2, StreamCommand.commandLine().execute("topics", "--bootstrap", "x:1", "--partitions", "0"));
    }

    /** Runs the script with this test's classpath standing in for the built jar. */
    private static String runScript(String... args) throws IOException, InterruptedException {
        Path script = DeployFiles.DEPLOY.resolve("topics/create-topics.sh");
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MEMDRS_STREAM_CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "script finished");
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
