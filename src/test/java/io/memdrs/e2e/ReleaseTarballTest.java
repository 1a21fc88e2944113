package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as an operator installs it on a compute node: {@code memdrs-VERSION.tar.gz} from {@code mvn package},
 * unpacked into an empty directory and run with a PATH that holds java and bash but no Maven. Its launcher runs the
 * collector's doctor against libvirt's test driver and the stream app's what-if on the example snapshot, and says
 * its version and source revision.
 */
class ReleaseTarballTest {
    @TempDir
    static Path dir;
    static Path home;
    static Path path;

    @BeforeAll
    static void unpack() throws Exception {
        Path root = Lab.repositoryRoot();
        Path tarball;
        try (Stream<Path> files = Files.list(root.resolve("dist/target"))) {
            tarball = files.filter(f -> f.getFileName().toString().matches("memdrs-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dist/target/memdrs-*.tar.gz: run mvn package"));
        }
        assertEquals(0, run(List.of("tar", "xzf", tarball.toString(), "-C", dir.toString()), null).exit());
        try (Stream<Path> unpacked = Files.list(dir)) {
            home = unpacked.filter(d -> d.getFileName().toString().startsWith("memdrs-")).findFirst().orElseThrow();
        }
        path = Files.createDirectories(dir.resolve("path"));
        for (String tool : List.of("java", "bash", "env", "dirname", "readlink")) {
            Path real = Path.of(run(List.of("bash", "-c", "command -v " + tool), null).out().strip()).toRealPath();
            Files.createSymbolicLink(path.resolve(tool), real);
        }
    }

    @Test
    void shouldHoldTheLauncherTheJarsTheConfigurationTheUnitsTheTopicsScriptAndTheReadme() {
        for (String f : List.of("bin/memdrs", "bin/create-topics.sh", "lib/memdrs-collector.jar", "lib/memdrs-stream.jar",
                "config/collector.properties", "config/stream.properties", "systemd/memdrs-collector.service",
                "systemd/memdrs-collector.sysusers", "examples/snapshot.json", "README.md")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/memdrs")));
    }

    @Test
    void shouldRunTheCollectorsDoctorWithoutMaven() throws Exception {
        Result doctor = run(List.of(home.resolve("bin/memdrs").toString(), "collector", "doctor", "--uri",
                "test:///default"), path);
        // exit 3: the test driver's one domain has no stats period, which is what doctor is for
        assertEquals(3, doctor.exit(), doctor.toString());
        assertTrue(doctor.out().contains("STATS_PERIOD_DISABLED") && doctor.out().contains("enable-stats"), doctor.out());
    }

    @Test
    void shouldRunWhatIfOnTheExampleSnapshotWithoutMaven() throws Exception {
        Result whatIf = run(List.of(home.resolve("bin/memdrs").toString(), "stream", "what-if", "--snapshot",
                home.resolve("examples/snapshot.json").toString(), "--format", "json"), path);
        assertEquals(0, whatIf.exit(), whatIf.toString());
        assertTrue(whatIf.out().contains("\"waves\"") && whatIf.out().contains("\"cluster\" : \"example\""), whatIf.out());
    }

    @Test
    void shouldSayItsVersionAndSourceRevision() throws Exception {
        Result version = run(List.of(home.resolve("bin/memdrs").toString(), "--version"), path);
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.out().matches("(?s)memdrs collector \\S+ \\(revision \\S+\\)\\s*"), version.out());
        assertTrue(!version.out().contains("revision unknown"), "built in a checkout: " + version.out());
        Result sub = run(List.of(home.resolve("bin/memdrs").toString(), "stream", "what-if", "--version"), path);
        assertTrue(sub.out().startsWith("memdrs stream "), sub.toString());
    }

    record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> command, Path pathOnly) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (pathOnly != null) {
            pb.environment().put("PATH", pathOnly.toString());
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " still running after 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
