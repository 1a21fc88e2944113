package io.memdrs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine is plain Java: no Kafka, Avro, libvirt, Jackson or stream-app import anywhere in its packages. */
class EngineIsolationTest {
    private static final List<String> FORBIDDEN = List.of("org.apache.kafka", "org.apache.avro", "org.libvirt",
            "com.fasterxml", "io.memdrs.avro", "io.memdrs.stream", "com.sun.jna", "java.io.", "java.nio.",
            "java.net.");

    @Test
    void shouldNotImportKafkaAvroLibvirtJacksonOrIo() throws IOException {
        Path root = Path.of("src/main/java/io/memdrs/engine");
        assertTrue(Files.isDirectory(root), "run from the module directory");
        List<String> offences = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
                files++;
                for (String line : Files.readAllLines(p)) {
                    String l = line.strip();
                    if (l.startsWith("import ")) {
                        for (String f : FORBIDDEN) {
                            if (l.contains(f)) {
                                offences.add(root.relativize(p) + ": " + l);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(files > 20, "found " + files + " source files");
        assertEquals(List.of(), offences);
    }
}
