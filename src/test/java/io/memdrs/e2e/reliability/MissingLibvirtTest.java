package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On a machine without Debian's libvirt0 (simulated: JNA is pointed at an empty directory, so libvirt.so.0 cannot be
 * found), every program that talks to libvirt exits with 2 within seconds and one line naming the library and the
 * package — instead of failing deep in the first connection, or, for the demo, running a minute of empty rounds.
 */
class MissingLibvirtTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static Stream<List<String>> commands() {
        return Stream.of(List.of("collector", "doctor", "--uri", "test:///default"),
                List.of("collector", "enable-stats", "--period", "10", "--uri", "test:///default"),
                List.of("collector", "run", "--config", "{config}"),
                List.of("demo", "--seconds", "10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void shouldExit2WithinSecondsNamingLibvirtSo0AndThePackage(List<String> command) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-libraries"));
        Path config = dir.resolve("collector.properties");
        Files.writeString(config, "collector.cluster=c1\ncollector.metrics.port=0\nkafka.bootstrap.servers=127.0.0.1:1\n");
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djna.library.path=" + empty, "-Djna.platform.library.path=" + empty, "-jar",
                (command.get(0).equals("demo") ? ProjectFiles.demoJar() : ProjectFiles.collectorJar()).toString()));
        command.subList(1, command.size()).forEach(a ->
                argv.add(a.replace("{config}", config.toString())));
        if (command.get(0).equals("demo")) {
            argv.addAll(List.of("--work-dir", dir.resolve("demo").toString()));
        }
        Path err = dir.resolve("err.txt");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean done = p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        String stderr = read(err);
        System.out.printf("missing libvirt: %-60s exit %s after %d ms: %s%n", String.join(" ", command),
                done ? p.exitValue() : "none", took.toMillis(), stderr.strip());
        assertTrue(done, "still running after " + LIMIT + ": " + stderr);
        assertEquals(2, p.exitValue(), stderr);
        List<String> lines = stderr.strip().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + stderr);
        assertTrue(lines.get(0).contains("libvirt.so.0") && lines.get(0).contains("apt-get install -y libvirt0"),
                lines.get(0));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
