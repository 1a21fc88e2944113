package io.memdrs.collector.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The files an operator installs: the example configuration loads, the systemd unit runs it as a hardened service. */
class DeploymentFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path CONFIG = DEPLOY.resolve("config/collector.properties");
    private static final Path UNIT = DEPLOY.resolve("systemd/memdrs-collector.service");
    private static final Path ENV = DEPLOY.resolve("systemd/memdrs-collector.env");
    private static final Path SYSUSERS = DEPLOY.resolve("systemd/memdrs-collector.sysusers");

    @Test
    void shouldLoadTheExampleConfigurationWithoutError() {
        CollectorConfig config = CollectorConfig.from(ConfigSource.load(CONFIG, Map.of(), "collector.", "kafka."));

        assertEquals("qemu:///system", config.libvirtUri());
        assertTrue(config.readOnly(), "the example does not write to libvirt");
        assertEquals(Duration.ofSeconds(10), config.pollInterval());
        assertEquals(Duration.ofMinutes(10), config.outageTolerance());
        assertEquals("127.0.0.1", config.metricsBind());
        assertTrue(config.kafka().get("bootstrap.servers").contains(":9092"));
    }

    @Test
    void shouldLoadTheExampleConfigurationWithTheServicesEnvironmentFile() throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(ENV)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            assertTrue(eq > 0, ENV + ": not KEY=VALUE: " + line);
            env.put(l.substring(0, eq), l.substring(eq + 1));
        }
        assertTrue(env.containsKey("JAVA_OPTS"), "the unit passes $JAVA_OPTS to java");
        // The commented examples, switched on, must be valid too.
        for (String line : Files.readAllLines(ENV)) {
            if (line.startsWith("#MEMDRS_")) {
                int eq = line.indexOf('=');
                env.put(line.substring(1, eq), line.substring(eq + 1));
            }
        }

        CollectorConfig config = CollectorConfig.from(ConfigSource.load(CONFIG, env, "collector.", "kafka."));

        assertEquals(env.get("MEMDRS_KAFKA_BOOTSTRAP_SERVERS"), config.kafka().get("bootstrap.servers"));
        assertTrue(config.toString().contains("sasl.jaas.config=********"), "the example secret is masked");
    }

    @Test
    void shouldRunTheCollectorJarWithTheInstalledConfiguration() throws IOException {
        SystemdUnit unit = SystemdUnit.parse(UNIT);

        assertTrue(unit.hasSection("Unit") && unit.hasSection("Service") && unit.hasSection("Install"));
        assertNotNull(unit.value("Unit", "Description"));
        assertTrue(unit.words("Unit", "After").containsAll(List.of("network-online.target", "libvirtd.service")));
        assertTrue(unit.words("Unit", "Wants").contains("network-online.target"));
        String exec = unit.value("Service", "ExecStart");
        assertTrue(exec.startsWith("/usr/bin/java "), exec);
        assertTrue(exec.endsWith("-jar /opt/memdrs/lib/memdrs-collector.jar run --config /etc/memdrs/collector.properties"),
                exec);
        assertEquals("-/etc/memdrs/collector.env", unit.value("Service", "EnvironmentFile"));
        assertEquals("multi-user.target", unit.value("Install", "WantedBy"));
    }

    @Test
    void shouldRestartOnFailureButNotOnABadConfiguration() throws IOException {
        SystemdUnit unit = SystemdUnit.parse(UNIT);

        assertEquals("on-failure", unit.value("Service", "Restart"));
        assertEquals("2", unit.value("Service", "RestartPreventExitStatus"), "exit 2 is a bad configuration");
        assertTrue(unit.words("Service", "SuccessExitStatus").contains("143"), "SIGTERM is a clean stop");
    }

    @Test
    void shouldRunAsADedicatedUserInTheLibvirtGroupWithoutPrivileges() throws IOException {
        SystemdUnit unit = SystemdUnit.parse(UNIT);

        assertEquals("memdrs", unit.value("Service", "User"));
        assertTrue(unit.words("Service", "SupplementaryGroups").contains("libvirt"));
        assertEquals("yes", unit.value("Service", "NoNewPrivileges"));
        assertEquals("strict", unit.value("Service", "ProtectSystem"));
        assertEquals("yes", unit.value("Service", "ProtectHome"));
        assertEquals("yes", unit.value("Service", "PrivateTmp"));
        assertEquals("", unit.value("Service", "CapabilityBoundingSet"), "no capabilities at all");
        assertTrue(unit.words("Service", "RestrictAddressFamilies").containsAll(List.of("AF_UNIX", "AF_INET")),
                "libvirt's socket and Kafka");

        List<String> sysusers = Files.readAllLines(SYSUSERS).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertTrue(sysusers.stream().anyMatch(l -> l.matches("u\\s+memdrs\\s.*")), "creates the user: " + sysusers);
        assertTrue(sysusers.stream().anyMatch(l -> l.matches("m\\s+memdrs\\s+libvirt")), "joins libvirt: " + sysusers);
    }
}
