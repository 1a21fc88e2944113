package io.memdrs.e2e.reliability;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build puts the runnable jars, found from the working directory of the test run. */
public final class ProjectFiles {
    private ProjectFiles() {}

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("drs-stream/pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("no memdrs checkout above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** {@code memdrs stream}: drs-stream/target/memdrs-stream.jar. */
    public static Path streamJar() {
        return root().resolve("drs-stream/target/memdrs-stream.jar");
    }

    /** {@code memdrs demo}: demo/target/memdrs-demo.jar. */
    static Path demoJar() {
        return root().resolve("demo/target/memdrs-demo.jar");
    }

    /** {@code memdrs collector}: collector/target/memdrs-collector.jar. */
    public static Path collectorJar() {
        return root().resolve("collector/target/memdrs-collector.jar");
    }
}
