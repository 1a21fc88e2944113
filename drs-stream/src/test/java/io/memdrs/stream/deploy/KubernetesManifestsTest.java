package io.memdrs.stream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.memdrs.config.ConfigSource;
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
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KubernetesManifestsTest {
    private static final Path DIR = DeployFiles.DEPLOY.resolve("kubernetes");
    private static final Map<String, JsonNode> byKindAndName = new HashMap<>();

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        JsonNode kustomization = DeployFiles.yamlDocuments(DIR.resolve("kustomization.yaml")).get(0);
        for (JsonNode resource : kustomization.get("resources")) {
            Path file = DIR.resolve(resource.asText());
            assertTrue(Files.exists(file), "kustomization lists " + file);
            for (JsonNode doc : DeployFiles.yamlDocuments(file)) {
                assertTrue(doc.has("apiVersion") && doc.has("kind") && doc.path("metadata").has("name"), file + ": " + doc);
                byKindAndName.put(doc.get("kind").asText() + "/" + doc.get("metadata").get("name").asText(), doc);
            }
        }
    }

    private static JsonNode get(String kindAndName) {
        JsonNode doc = byKindAndName.get(kindAndName);
        assertTrue(doc != null, kindAndName + " is in the manifests: " + byKindAndName.keySet());
        return doc;
    }

    private static JsonNode container() {
        return get("StatefulSet/memdrs-stream").get("spec").get("template").get("spec").get("containers").get(0);
    }

    private static String streamProperties() {
        return get("ConfigMap/memdrs-stream-config").get("data").get("stream.properties").asText();
    }

    @Test
    void shouldRunAStatefulSetWithAStateVolumeWhereTheConfigPutsTheStores() throws IOException {
        JsonNode spec = get("StatefulSet/memdrs-stream").get("spec");
        JsonNode claim = spec.get("volumeClaimTemplates").get(0);
        assertEquals("ReadWriteOnce", claim.get("spec").get("accessModes").get(0).asText());
        Map<String, String> mounts = new HashMap<>();
        container().get("volumeMounts").forEach(m -> mounts.put(m.get("name").asText(), m.get("mountPath").asText()));
        Properties props = DeployFiles.properties(streamProperties());
        assertEquals(props.getProperty("stream.state-dir"), mounts.get(claim.get("metadata").get("name").asText()));
        assertEquals("/etc/memdrs", mounts.get("config"));
        assertEquals(List.of("run", "--config", "/etc/memdrs/stream.properties"), texts(container().get("args")));
        JsonNode volumes = spec.get("template").get("spec").get("volumes");
        boolean configMapMounted = false;
        for (JsonNode v : volumes) {
            configMapMounted |= v.get("name").asText().equals("config")
                    && v.path("configMap").path("name").asText().equals("memdrs-stream-config");
        }
        assertTrue(configMapMounted);
        assertEquals(spec.get("selector").get("matchLabels"), labelsSubset(spec.get("template").get("metadata").get("labels"),
                spec.get("selector").get("matchLabels")));
    }

    @Test
    void shouldProbeHealthOnTheHttpPortTheConfigListensOn() throws IOException {
        Properties props = DeployFiles.properties(streamProperties());
        JsonNode port = container().get("ports").get(0);
        assertEquals("http", port.get("name").asText());
        assertEquals(Integer.parseInt(props.getProperty("stream.http.port")), port.get("containerPort").asInt());
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode get = container().get(probe).get("httpGet");
            assertEquals("/health", get.get("path").asText(), probe);
            assertEquals("http", get.get("port").asText(), probe);
        }
    }

    @Test
    void shouldServeTheApiAndGiveEachPodAStableNameItAdvertises() throws IOException {
        JsonNode headless = get("Service/memdrs-stream-headless").get("spec");
        assertEquals("None", headless.get("clusterIP").asText());
        assertTrue(headless.get("publishNotReadyAddresses").asBoolean());
        assertEquals("memdrs-stream-headless", get("StatefulSet/memdrs-stream").get("spec").get("serviceName").asText());
        JsonNode podLabels = get("StatefulSet/memdrs-stream").get("spec").get("template").get("metadata").get("labels");
        for (String service : List.of("Service/memdrs-stream-headless", "Service/memdrs-stream")) {
            JsonNode spec = get(service).get("spec");
            assertEquals(spec.get("selector"), labelsSubset(podLabels, spec.get("selector")), service + " selects the pods");
            assertEquals("http", spec.get("ports").get(0).get("targetPort").asText());
        }
        assertEquals(8080, get("Service/memdrs-stream").get("spec").get("ports").get(0).get("port").asInt());
    }

    @Test
    void shouldLoadTheConfigMapWithThePodsEnvironmentThroughTheStreamConfig() throws IOException {
        Map<String, String> env = DeployFiles.kubernetesEnv(container(),
                Map.of("metadata.name", "memdrs-stream-1", "metadata.namespace", "memdrs"));
        ConfigSource source = DeployFiles.streamSource(streamProperties(), env);
        StreamConfig config = StreamConfig.from(source);
        DrsSettings.from(source);
        assertEquals("0.0.0.0", config.httpBind());
        assertEquals("memdrs-stream-1.memdrs-stream-headless.memdrs.svc.cluster.local:8080",
                config.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG));
    }

    @Test
    void shouldKeepAtMostOneInstanceDownInADrain() {
        JsonNode pdb = get("PodDisruptionBudget/memdrs-stream").get("spec");
        assertEquals(1, pdb.get("maxUnavailable").asInt());
        JsonNode podLabels = get("StatefulSet/memdrs-stream").get("spec").get("template").get("metadata").get("labels");
        assertEquals(pdb.get("selector").get("matchLabels"), labelsSubset(podLabels, pdb.get("selector").get("matchLabels")));
    }

    @Test
    void shouldBuildTheImageFromTheJarTheBuildProduces() throws IOException {
        String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("COPY drs-stream/target/memdrs-stream.jar "), dockerfile);
        assertTrue(Files.readString(Path.of("pom.xml")).contains("/memdrs-stream.jar</outputFile>"));
        assertTrue(dockerfile.contains("-t " + container().get("image").asText() + " "),
                "the Dockerfile's build command tags the image the StatefulSet runs");
    }

    private static JsonNode labelsSubset(JsonNode labels, JsonNode keys) {
        com.fasterxml.jackson.databind.node.ObjectNode subset = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode();
        keys.fieldNames().forEachRemaining(k -> {
            if (labels.has(k)) {
                subset.set(k, labels.get(k));
            }
        });
        return subset;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
