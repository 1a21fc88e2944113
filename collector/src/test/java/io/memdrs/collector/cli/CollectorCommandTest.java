package io.memdrs.collector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.libvirt.TestDriverNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes that mean something, messages that name the problem, output an operator can read. */
@Tag("integration")
class CollectorCommandTest {
    @TempDir
    Path dir;

    /** Exit code and output of one in-process run. */
    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CollectorCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldExitWith2NamingTheKeyOfABadConfiguration() throws IOException {
        Path config = dir.resolve("collector.properties");
        Files.writeString(config, "collector.cluster=az1\ncollector.poll.interval=soon\nkafka.bootstrap.servers=b:9092\n");

        Run run = run("run", "--config", config.toString());

        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("collector.poll.interval"), run::toString);
    }

    @Test
    void shouldExitWith2NamingTheSettingOfABadKafkaPassThroughValue() throws IOException {
        Path config = dir.resolve("collector.properties");
        Files.writeString(config, "collector.cluster=az1\ncollector.libvirt.uri=test:///default\n"
                + "collector.metrics.port=0\nkafka.bootstrap.servers=127.0.0.1:1\nkafka.linger.ms=soon\n");

        Run run = run("run", "--config", config.toString());

        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("linger.ms") && run.err().contains("kafka.*"), run::toString);
    }

    @Test
    void shouldExitWith2WhenTheConfigurationFileIsMissing() {
        Run run = run("run", "--config", dir.resolve("absent.properties").toString());

        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("--config") && run.err().contains("does not exist"), run::toString);
    }

    @Test
    void shouldExitWith2ForAnUnknownOption() {
        Run run = run("doctor", "--format", "yaml");

        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("--format"), run::toString);
    }

    @Test
    void shouldListTheTestDomainOfTheDefaultTestDriverInATable() {
        Run run = run("doctor", "--uri", "test:///default");

        String[] lines = run.out().split("\n");
        assertTrue(lines[0].contains("test:///default") && lines[0].contains("freshness not checked"), run::toString);
        assertTrue(lines[1].startsWith("VM ") && lines[1].contains("HEALTH") && lines[1].contains("HINT"), run::toString);
        assertTrue(Arrays.stream(lines).anyMatch(l -> l.startsWith("test ") && l.contains("RUNNING")), run::toString);
        assertEquals(3, run.exit(), "test:///default's balloon has no stats period: " + run);
    }

    @Test
    void shouldSayWhatEnableStatsWouldChangeWithoutChangingIt() {
        String uri = TestDriverNode.write(dir.resolve("node.xml"), 12);

        Run dry = run("enable-stats", "--period", "10", "--dry-run", "--uri", uri);

        assertEquals(0, dry.exit(), dry::toString);
        assertTrue(dry.out().contains(TestDriverNode.name(7) + ": would set stats period 0 -> 10 s (dry run)"), dry::toString);
        assertTrue(dry.out().contains(TestDriverNode.name(1) + ": unchanged, stats period already 10 s"), dry::toString);
        assertTrue(dry.out().contains(TestDriverNode.name(11) + ": skipped, no balloon device"), dry::toString);
        assertTrue(dry.out().contains("1 domain(s) would change"), dry::toString);
    }

    @Test
    void shouldLimitEnableStatsToTheNamedDomains() {
        String uri = TestDriverNode.write(dir.resolve("node.xml"), 12);

        Run dry = run("enable-stats", "--period", "10", "--dry-run", "--uri", uri, "--domain", TestDriverNode.name(1));

        assertEquals(0, dry.exit(), dry::toString);
        assertFalse(dry.out().contains(TestDriverNode.name(7)), dry::toString);
        assertTrue(dry.out().contains("0 domain(s) would change"), dry::toString);
    }

    @Test
    void shouldRefuseAnUnknownDomainOrAPeriodOutOfRange() {
        String uri = TestDriverNode.write(dir.resolve("node.xml"), 3);

        Run unknown = run("enable-stats", "--period", "10", "--dry-run", "--uri", uri, "--domain", "nope");
        Run zero = run("enable-stats", "--period", "0", "--dry-run", "--uri", uri);

        assertEquals(2, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("--domain nope"), unknown::toString);
        assertEquals(2, zero.exit(), zero::toString);
        assertTrue(zero.err().contains("--period"), zero::toString);
    }
}
