package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.collector.cli.CollectorCommand;
import io.memdrs.demo.DemoCommand;
import io.memdrs.stream.cli.StreamCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every program refuses bad configuration and bad command lines the same way: exit code 2, a message on stderr that
 * names the key or argument at fault, and no stack trace. Covers missing required keys, values of the wrong type,
 * values out of range, unknown keys and options (typos), a missing configuration file, and invalid what-if input.
 * Nothing here reaches Kafka or libvirt: each program must refuse before it starts.
 */
@Tag("integration")
class BadConfigAndUsageTest {
    private static final String COLLECTOR_OK = "collector.cluster=c1\ncollector.metrics.port=0\n"
            + "collector.libvirt.uri=test:///default\nkafka.bootstrap.servers=127.0.0.1:1\n";
    private static final String STREAM_OK = "stream.application-id=memdrs-test\nstream.http.port=0\n"
            + "kafka.bootstrap.servers=127.0.0.1:1\n";
    private static final String SNAPSHOT_OK = """
            { "cluster": "c1",
              "hosts": [ { "name": "h1", "memoryKiB": 67108864, "reservedKiB": 0, "maintenance": false } ],
              "vms": [ { "uuid": "u1", "name": "vm-1", "host": "h1", "demandKiB": 4194304, "sizeKiB": 8388608,
                         "confidence": "HIGH", "movable": true } ],
              "rules": [] }""";
    private static final List<String> REFUSED = new ArrayList<>();

    @TempDir
    static Path work;

    /**
     * One refusal: the program, its arguments ({@code {config}} is replaced by a file holding {@code file}), and the
     * name the message must contain.
     */
    record Case(String program, String args, String file, String names) {
        @Override
        public String toString() {
            return program + " " + args + (file == null ? "" : " with " + file.strip().replace('\n', ' ')) + " -> " + names;
        }
    }

    static Stream<Case> collector() {
        return Stream.of(
                new Case("collector", "", null, "sub-command"),
                new Case("collector", "frobnicate", null, "frobnicate"),
                new Case("collector", "run", null, "--config"),
                new Case("collector", "run --config /nonexistent/collector.properties", null, "--config"),
                new Case("collector", "run --config {config} --cfg x", COLLECTOR_OK, "--cfg"),
                new Case("collector", "run --config {config}", "collector.metrics.port=0\nkafka.bootstrap.servers=k:9092",
                        "collector.cluster"),
                new Case("collector", "run --config {config}", "collector.cluster=c1", "kafka.bootstrap.servers"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.cluster=my cluster",
                        "collector.cluster"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.poll.interval=often",
                        "collector.poll.interval"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.metrics.port=eighty",
                        "collector.metrics.port"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.host.reserved-kib=1.5",
                        "collector.host.reserved-kib"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.metrics.port=70000",
                        "collector.metrics.port"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.poll.interval=10ms",
                        "collector.poll.interval"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.buffer.max-records=10",
                        "collector.buffer.max-records"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.remediate.stats-period=-1",
                        "collector.remediate.stats-period"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.kafka.outage-tolerance=8d",
                        "collector.kafka.outage-tolerance"),
                new Case("collector", "run --config {config}", COLLECTOR_OK + "collector.poll.intervall=10s",
                        "collector.poll.intervall"),
                new Case("collector", "doctor --format xml", null, "--format"),
                new Case("collector", "doctor --timeout soon", null, "--timeout"),
                new Case("collector", "doctor --url test:///default", null, "--url"),
                new Case("collector", "enable-stats", null, "--period"),
                new Case("collector", "enable-stats --period 0 --uri test:///default", null, "--period"),
                new Case("collector", "enable-stats --period ten", null, "--period"));
    }

    static Stream<Case> stream() {
        return Stream.of(
                new Case("stream", "", null, "sub-command"),
                new Case("stream", "run", null, "--config"),
                new Case("stream", "run --config /nonexistent/stream.properties", null, "--config"),
                new Case("stream", "run --config {config}", "stream.http.port=0", "kafka.bootstrap.servers"),
                new Case("stream", "run --config {config}", STREAM_OK + "stream.http.port=http", "stream.http.port"),
                new Case("stream", "run --config {config}", STREAM_OK + "stream.http.port=-1", "stream.http.port"),
                new Case("stream", "run --config {config}", STREAM_OK + "stream.application-id=drs app",
                        "stream.application-id"),
                new Case("stream", "run --config {config}", STREAM_OK + "stream.threads=4", "stream.threads"),
                new Case("stream", "run --config {config}", STREAM_OK + "streams.processing.guarantee=at_most_once",
                        "streams.processing.guarantee"),
                new Case("stream", "run --config {config}", STREAM_OK + "drs.migration-threshold=7",
                        "drs.migration-threshold"),
                new Case("stream", "run --config {config}", STREAM_OK + "drs.high-watermark=lots", "drs.high-watermark"),
                new Case("stream", "run --config {config}", STREAM_OK + "drs.round.interval=fast", "drs.round.interval"),
                new Case("stream", "run --config {config}", STREAM_OK + "drs.roundinterval=60s", "drs.roundinterval"),
                new Case("stream", "topics --bootstrap 127.0.0.1:1 --partitions 0", null, "--partitions"),
                new Case("stream", "topics --bootstrap 127.0.0.1:1 --replication 0", null, "--replication"),
                new Case("stream", "topics", null, "--bootstrap"),
                new Case("stream", "what-if", null, "--snapshot"),
                new Case("stream", "what-if --snapshot /nonexistent/snapshot.json", null, "/nonexistent/snapshot.json"),
                new Case("stream", "what-if --snapshot {config}", "{ \"cluster\": \"c1\", \"hosts\": [",
                        "snapshot"),
                new Case("stream", "what-if --snapshot {config}", SNAPSHOT_OK.replace("\"host\": \"h1\"",
                        "\"host\": \"h9\""), "h9"),
                new Case("stream", "what-if --snapshot {config}", SNAPSHOT_OK.replace("67108864", "-1"), "memoryKiB"),
                new Case("stream", "what-if --snapshot {config} --format xml", SNAPSHOT_OK, "--format"),
                new Case("stream", "what-if --snapshot {config} --now yesterday", SNAPSHOT_OK, "--now"));
    }

    static Stream<Case> demo() {
        return Stream.of(
                new Case("demo", "--hosts 1", null, "--hosts"),
                new Case("demo", "--hosts many", null, "--hosts"),
                new Case("demo", "--vms-per-host 0", null, "--vms-per-host"),
                new Case("demo", "--seconds 5", null, "--seconds"),
                new Case("demo", "--nodes 3", null, "--nodes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("collector")
    void collectorShouldExit2NamingTheKeyOrArgument(Case c) throws IOException {
        assertRefused(c, CollectorCommand::commandLine);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stream")
    void streamShouldExit2NamingTheKeyOrArgument(Case c) throws IOException {
        assertRefused(c, StreamCommand::commandLine);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("demo")
    void demoShouldExit2NamingTheArgument(Case c) throws IOException {
        assertRefused(c, () -> new CommandLine(new DemoCommand()));
    }

    @AfterAll
    static void summary() {
        System.out.printf("bad usage: %d bad command lines and configurations injected, %d refused with exit 2 naming "
                + "the key or argument%n", REFUSED.size(), REFUSED.size());
    }

    private static void assertRefused(Case c, Supplier<CommandLine> commandLine) throws IOException {
        String args = c.args();
        if (c.file() != null) {
            Path file = Files.createTempFile(work, c.program() + "-", ".conf");
            Files.writeString(file, c.file());
            args = args.replace("{config}", file.toString());
        }
        Cli.Result result = Cli.run("memdrs " + c.program(), commandLine,
                args.isBlank() ? new String[0] : args.split(" "));
        String firstLine = result.err().strip().lines().findFirst().orElse("");
        String injected = c.program() + " " + c.args()
                + (c.file() == null ? "" : c.file().startsWith("{") ? " [snapshot, bad " + c.names() + "]"
                : " [" + c.file().strip().lines().reduce((a, b) -> b).orElse("") + "]");
        System.out.printf("bad usage: %-80s exit %d: %s%n", injected, result.exitCode(),
                firstLine.length() > 150 ? firstLine.substring(0, 150) + "..." : firstLine);
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains(c.names()), "the message names " + c.names() + ": " + result);
        assertFalse(result.err().contains("\tat ") || result.out().contains("\tat "), "no stack trace: " + result);
        REFUSED.add(c.toString());
    }
}
