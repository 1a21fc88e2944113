package io.memdrs.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the project's real-hypervisor lab, {@code src/test/lab/memdrs-lab.sh}: a root libvirtd with QEMU (TCG) and
 * three guests whose balloon statistics are live, frozen and absent. The lab's work directory defaults to the
 * repository's {@code target/lab} (the script's own default), so that a lab already up is reused, not rebuilt.
 */
final class Lab {
    static final String URI = "qemu:///system";
    static final String OK = "memdrs-lab-ok";
    static final String FROZEN = "memdrs-lab-frozen";
    static final String NO_DRIVER = "memdrs-lab-nodriver";

    /** The script's line for a failed step: {@code ERROR in step 'packages': ...}. */
    private static final Pattern FAILED_STEP = Pattern.compile("ERROR in step '([^']+)'");

    /** What one run of the script did. */
    record Run(List<String> command, int exitCode, String output, Duration took) {
        boolean succeeded() {
            return exitCode == 0;
        }

        /** The step the script named in its error message, or empty. */
        String failedStep() {
            Matcher m = FAILED_STEP.matcher(output);
            return m.find() ? m.group(1) : "";
        }

        /**
         * True when the run failed because the machine cannot get the lab's Debian packages (apt-get update, install
         * or the guest kernel's download failed): then the lab cannot exist here, which is not a memdrs failure.
         */
        boolean failedForWantOfPackages() {
            String step = failedStep();
            return !succeeded() && (step.equals("packages")
                    || (step.equals("kernel") && output.contains("apt-get")));
        }

        String describe() {
            return String.join(" ", command) + " exited " + exitCode + " after " + took.toMillis() + " ms:\n" + output;
        }
    }

    private final Path script;
    private final Path workDir;

    private Lab(Path script, Path workDir) {
        this.script = script;
        this.workDir = workDir;
    }

    /** The lab of the repository this test runs in; {@code -Dmemdrs.lab.workdir=DIR} picks another work directory. */
    static Lab ofThisRepository() {
        Path root = repositoryRoot();
        String dir = System.getProperty("memdrs.lab.workdir");
        Path workDir = dir == null || dir.isBlank() ? root.resolve("target/lab") : Path.of(dir).toAbsolutePath();
        return new Lab(root.resolve("src/test/lab/memdrs-lab.sh"), workDir);
    }

    static boolean runningAsRoot() {
        try {
            return "0".equals(run(List.of("id", "-u"), Duration.ofSeconds(10)).output().strip());
        } catch (IllegalStateException e) {
            return false;
        }
    }

    Path workDir() {
        return workDir;
    }

    /** {@code memdrs-lab.sh up WORKDIR}: installs what is missing, starts libvirtd and the guests; idempotent. */
    Run up() {
        return run(List.of("bash", script.toString(), "up", workDir.toString()), Duration.ofMinutes(10));
    }

    /** {@code memdrs-lab.sh wait}: until the live guest's last_update advances and the others are up. */
    Run awaitReady(Duration timeout) {
        return run(List.of("bash", script.toString(), "wait", "--timeout", Long.toString(timeout.toSeconds())),
                timeout.plusSeconds(60));
    }

    private static Run run(List<String> command, Duration timeout) {
        long began = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append("(output unreadable: ").append(e.getMessage()).append(')');
                }
            }, "lab-output");
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                reader.join(5_000);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + ":\n" + output);
            }
            reader.join(10_000);
            return new Run(new ArrayList<>(command), process.exitValue(), output.toString(),
                    Duration.ofNanos(System.nanoTime() - began));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** The directory holding {@code src/test/lab/memdrs-lab.sh}: the working directory or one of its parents. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("src/test/lab/memdrs-lab.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("src/test/lab/memdrs-lab.sh not found in " + dir + " or its parents");
    }
}
