package io.memdrs.stream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.memdrs.stream.cli.StreamCommand;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ComposeFileTest {
    private static final Path DIR = DeployFiles.DEPLOY.resolve("compose");
    private static JsonNode services;

    @BeforeAll
    static void parse() throws IOException {
        List<JsonNode> docs = DeployFiles.yamlDocuments(DIR.resolve("docker-compose.yml"));
        assertEquals(1, docs.size());
        services = docs.get(0).get("services");
    }

    @Test
    void shouldRunAKraftBrokerOfTheKafkaVersionTheBuildUses() throws IOException {
        JsonNode kafka = services.get("kafka");
        Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertTrue(version.find());
        assertEquals("apache/kafka:" + version.group(1), kafka.get("image").asText());
        JsonNode env = kafka.get("environment");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES").asText());
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asText(),
                "exactly-once needs the transaction log on a single broker");
        assertTrue(kafka.has("healthcheck"));
    }

    @Test
    void shouldMountFilesThatExistAndJarsTheBuildProduces() throws IOException {
        for (String name : List.of("topics", "stream", "collector")) {
            for (JsonNode volume : services.get(name).get("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("../../")) {
                    String jar = Path.of(source).getFileName().toString();
                    String module = Path.of(source).getName(2).toString();
                    assertTrue(Files.readString(Path.of("..", module, "pom.xml")).contains("/" + jar + "</outputFile>")
                            || Files.readString(Path.of("..", module, "pom.xml")).contains(jar),
                            name + ": " + source + " is what " + module + " builds");
                } else if (source.startsWith(".")) {
                    assertTrue(Files.exists(DIR.resolve(source)), name + ": " + source + " exists");
                }
            }
        }
        assertTrue(Files.exists(DIR.resolve(services.get("collector").get("build").get("dockerfile").asText())));
    }

    @Test
    void shouldGiveCommandsTheCliAccepts() {
        for (String name : List.of("topics", "stream")) {
            List<String> command = texts(services.get(name).get("command"));
            assertEquals(List.of("java", "-jar", "/opt/memdrs/memdrs-stream.jar"), command.subList(0, 3));
            StreamCommand.commandLine().parseArgs(command.subList(3, command.size()).toArray(String[]::new));
        }
    }

    @Test
    void shouldLoadTheStreamConfigWithTheComposeEnvironment() throws IOException {
        JsonNode stream = services.get("stream");
        Map<String, String> env = new HashMap<>();
        stream.get("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        String properties = Files.readString(DIR.resolve("../config/stream.properties"));
        var source = DeployFiles.streamSource(properties, env);
        StreamConfig config = StreamConfig.from(source);
        DrsSettings.from(source);
        assertEquals("kafka:9092", config.kafka().get("bootstrap.servers"));
        assertEquals("0.0.0.0", config.httpBind());
        assertEquals("stream:8080", config.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertEquals("127.0.0.1:8080:8080", stream.get("ports").get(0).asText(), "published on loopback only");
    }

    @Test
    void shouldGiveTheCollectorItsRequiredKeys() throws IOException {
        Properties p = DeployFiles.properties(Files.readString(DIR.resolve("collector.properties")));
        assertTrue(p.containsKey("collector.cluster"));
        assertEquals("kafka:9092", p.getProperty("kafka.bootstrap.servers"));
        for (String key : p.stringPropertyNames()) {
            assertTrue(key.startsWith("collector.") || key.startsWith("kafka."), key);
        }
        assertEquals(List.of("libvirt"), texts(services.get("collector").get("profiles")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
