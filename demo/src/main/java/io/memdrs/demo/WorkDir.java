package io.memdrs.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Empties the demo's work directory so every run starts from a fresh broker and state. */
final class WorkDir {
    private WorkDir() {}

    static void reset(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.getFileName().toString().equals("memdrs-demo.log")) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // the log file stays; everything else is gone
            }
        }
        Files.createDirectories(dir);
    }
}
