package io.memdrs.stream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.memdrs.config.ConfigSource;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reading the files under deploy/ the way their tools and programs do. */
final class DeployFiles {
    /** deploy/ of this checkout (tests run in the module's directory). */
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    static final String[] STREAM_PREFIXES = {"stream.", "kafka.", "streams.", "drs."};
    private static final YAMLMapper YAML = new YAMLMapper();

    private DeployFiles() {}

    /** Every document of a (multi-document) YAML file. */
    static List<JsonNode> yamlDocuments(Path file) throws IOException {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return docs.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        }
    }

    /** A properties text with environment overrides, as {@code memdrs stream run} reads it. */
    static ConfigSource streamSource(String properties, Map<String, String> environment) throws IOException {
        Path file = Files.createTempFile("stream", ".properties");
        try {
            Files.writeString(file, properties);
            return ConfigSource.load(file, environment, STREAM_PREFIXES);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static Properties properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    /** A container's env as Kubernetes passes it: $(NAME) replaced by earlier values or {@code fieldRefs}. */
    static Map<String, String> kubernetesEnv(JsonNode container, Map<String, String> fieldRefs) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = e.get("name").asText();
            String value;
            if (e.has("valueFrom")) {
                value = fieldRefs.get(e.get("valueFrom").get("fieldRef").get("fieldPath").asText());
            } else {
                value = e.get("value").asText();
                for (Map.Entry<String, String> known : env.entrySet()) {
                    value = value.replace("$(" + known.getKey() + ")", known.getValue());
                }
            }
            env.put(name, value);
        }
        return env;
    }
}
