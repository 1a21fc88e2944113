package io.memdrs.stream.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Debian's chromium, run headless: the DOM of a page after its scripts ran, or a screenshot of it. */
final class Chromium {
    private final Path binary;
    private final Path profile;

    private Chromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** The browser on the PATH, if any; each run uses a fresh profile under {@code profile}. */
    static Optional<Chromium> find(Path profile) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new Chromium(candidate, profile));
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM after the page's scripts ran for {@code budgetMillis} of virtual time. */
    String dumpDom(String url, int budgetMillis) throws IOException, InterruptedException {
        return run(List.of("--virtual-time-budget=" + budgetMillis, "--dump-dom", url));
    }

    /** Saves a screenshot of the page, {@code width}×{@code height}, to {@code file}. */
    void screenshot(String url, Path file, int width, int height, int budgetMillis) throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        run(List.of("--virtual-time-budget=" + budgetMillis, "--window-size=" + width + "," + height,
                "--screenshot=" + file.toAbsolutePath(), url));
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(profile).resolve("run-" + System.nanoTime());
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--hide-scrollbars", "--user-data-dir=" + dir));
        command.addAll(args);
        Path out = dir.resolveSibling(dir.getFileName() + ".out");
        Path err = dir.resolveSibling(dir.getFileName() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("chromium did not finish within 90 s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("chromium exited with " + process.exitValue() + ": "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
