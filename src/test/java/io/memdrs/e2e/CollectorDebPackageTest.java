package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's Debian package from {@code mvn package}, read with dpkg-deb as dpkg would: its name, its
 * dependencies (libvirt0 and a Java 17 runtime), the jar in the release layout, the unit and the sysusers file where
 * systemd looks, and the configuration as conffiles, so that an upgrade keeps what the operator edited.
 */
class CollectorDebPackageTest {
    @TempDir
    static Path dir;
    static Path deb;

    @BeforeAll
    static void find() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "dpkg-deb is not installed (Debian's dpkg)");
        try (Stream<Path> files = Files.list(Lab.repositoryRoot().resolve("dist/target"))) {
            deb = files.filter(f -> f.getFileName().toString().matches("memdrs-collector_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dist/target/memdrs-collector_*_all.deb: run mvn package"));
        }
    }

    @Test
    void shouldNameThePackageAndDependOnLibvirt0AndAJava17Runtime() throws Exception {
        String fields = dpkgDeb("-f", deb.toString(), "Package", "Architecture", "Depends");
        assertTrue(fields.contains("Package: memdrs-collector") && fields.contains("Architecture: all"), fields);
        assertTrue(fields.matches("(?s).*Depends: libvirt0, default-jre-headless \\(>= 2:1.17\\) \\| "
                + "java17-runtime-headless.*"), fields);
    }

    @Test
    void shouldInstallTheJarTheUnitTheSysusersFileAndTheConfigurationAsConffiles() throws Exception {
        String contents = dpkgDeb("-c", deb.toString());
        for (String path : List.of("./opt/memdrs/lib/memdrs-collector.jar", "./lib/systemd/system/memdrs-collector.service",
                "./usr/lib/sysusers.d/memdrs-collector.conf", "./etc/memdrs/collector.properties",
                "./etc/memdrs/collector.env")) {
            assertTrue(contents.contains(path), path + " in:\n" + contents);
        }
        Path control = dir.resolve("control");
        dpkgDeb("-e", deb.toString(), control.toString());
        assertEquals(java.util.Set.of("/etc/memdrs/collector.properties", "/etc/memdrs/collector.env"),
                java.util.Set.copyOf(Files.readAllLines(control.resolve("conffiles")).stream()
                        .filter(l -> !l.isBlank()).toList()));
        Path data = dir.resolve("data");
        dpkgDeb("-x", deb.toString(), data.toString());
        String unit = Files.readString(data.resolve("lib/systemd/system/memdrs-collector.service"));
        assertTrue(unit.contains("-jar /opt/memdrs/lib/memdrs-collector.jar run --config /etc/memdrs/collector.properties"),
                "the unit runs the packaged jar");
        assertTrue(Files.isExecutable(control.resolve("postinst")));
    }

    private static String dpkgDeb(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("dpkg-deb"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "dpkg", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dpkg-deb still running");
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + text);
        return text;
    }
}
