package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Assumptions;

/**
 * Drives the project's real-hypervisor lab, {@code src/test/lab/memdrs-lab.sh}: a root libvirtd with QEMU (TCG) and
 * three guests whose balloon statistics are live, frozen and absent. The lab's work directory defaults to the
 * repository's {@code target/lab} (the script's own default), so that a lab already up is reused, not rebuilt.
 */
public final class Lab {
    public static final String URI = "qemu:///system";
    public static final String OK = "memdrs-lab-ok";
    public static final String FROZEN = "memdrs-lab-frozen";
    public static final String NO_DRIVER = "memdrs-lab-nodriver";
    /** The lab guests' {@code <stats period>} where they have one (memdrs-lab-ok). */
    public static final int STATS_PERIOD_SECONDS = 2;

    /** The script's line for a failed step: {@code ERROR in step 'packages': ...}. */
    private static final Pattern FAILED_STEP = Pattern.compile("ERROR in step '([^']+)'");

    /** What one run of the script did. */
    public record Run(List<String> command, int exitCode, String output, Duration took) {
        public boolean succeeded() {
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

        /** The epoch milliseconds the script logged after {@code label}, e.g. "libvirtd stopped at". */
        public long epochMillisAfter(String label) {
            Matcher m = Pattern.compile(Pattern.quote(label) + " epoch-ms (\\d+)").matcher(output);
            if (!m.find()) {
                throw new AssertionError("no '" + label + " epoch-ms N' in the output of " + describe());
            }
            return Long.parseLong(m.group(1));
        }

        public String describe() {
            return String.join(" ", command) + " exited " + exitCode + " after " + took.toMillis() + " ms:\n" + output;
        }
    }

    private final Path script;
    private final Path workDir;

    private Lab(Path script, Path workDir) {
        this.script = script;
        this.workDir = workDir;
    }

    /**
     * The lab, up and ready: its guests started and memdrs-lab-ok reporting live statistics. Skips the calling test
     * where the lab cannot exist (not root, or its Debian packages cannot be installed); fails it if the lab cannot
     * be brought up otherwise.
     */
    public static Lab readyOrSkip() {
        Assumptions.assumeTrue(runningAsRoot(), "the libvirt lab needs root (libvirtd with qemu:///system, apt-get)");
        Lab lab = ofThisRepository();
        Run up = lab.up();
        Assumptions.assumeFalse(up.failedForWantOfPackages(),
                () -> "the lab's Debian packages cannot be installed here: " + up.describe());
        assertTrue(up.succeeded(), up::describe);
        Run ready = lab.awaitReady(Duration.ofSeconds(120));
        assertTrue(ready.succeeded(), ready::describe);
        System.out.printf("lab in %s: up %d ms, ready %d ms later%n", lab.workDir(), up.took().toMillis(),
                ready.took().toMillis());
        return lab;
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

    public Path workDir() {
        return workDir;
    }

    /**
     * {@code memdrs-lab.sh up WORKDIR}: installs what is missing, starts libvirtd and the guests; idempotent. When
     * the lab's libvirtd was not running before, the guests and the daemon this JVM brought up are stopped when it
     * exits ({@code down --stop-daemon}), so that no daemon is left running with its configuration in the checkout.
     */
    Run up() {
        boolean wasRunning = run(List.of("bash", script.toString(), "status"), Duration.ofSeconds(30)).succeeded();
        Run up = run(List.of("bash", script.toString(), "up", workDir.toString()), Duration.ofMinutes(10));
        if (!wasRunning && up.succeeded()) {
            stopAtExit();
        }
        return up;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean STOP_AT_EXIT =
            new java.util.concurrent.atomic.AtomicBoolean();

    private void stopAtExit() {
        if (!STOP_AT_EXIT.compareAndSet(false, true)) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Run down = run(List.of("bash", script.toString(), "down", "--stop-daemon"), Duration.ofSeconds(90));
            System.out.println("lab stopped at the end of the tests: " + (down.succeeded() ? "ok" : down.describe()));
        }, "memdrs-lab-down"));
    }

    /** {@code memdrs-lab.sh wait}: until the live guest's last_update advances and the others are up. */
    Run awaitReady(Duration timeout) {
        return run(List.of("bash", script.toString(), "wait", "--timeout", Long.toString(timeout.toSeconds())),
                timeout.plusSeconds(60));
    }

    /**
     * {@code memdrs-lab.sh restart-daemon --down-for SEC}: stops libvirtd, keeps it down, starts it again; the guests
     * keep running. The output names the moments as "libvirtd stopped at epoch-ms N" and "libvirtd answers again at
     * epoch-ms N".
     */
    public Run restartDaemon(Duration downFor) {
        return run(List.of("bash", script.toString(), "restart-daemon", "--down-for",
                Long.toString(downFor.toSeconds()), workDir.toString()), downFor.plusMinutes(2));
    }

    /**
     * {@code memdrs-lab.sh guest-stats DOMAIN stop|resume}: QEMU stops (resumes) asking the guest for balloon
     * statistics while libvirt's stats period stays as it is, so {@code last_update} freezes (moves again).
     */
    public Run guestStats(String domain, boolean stop) {
        return run(List.of("bash", script.toString(), "guest-stats", domain, stop ? "stop" : "resume"),
                Duration.ofMinutes(2));
    }

    /** The guest {@code memdrs-lab-migrant} (like memdrs-lab-ok) that the live-migration test moves between daemons. */
    public static final String MIGRANT = "memdrs-lab-migrant";
    public static final String MIGRANT_UUID = "6d656d64-7273-4c61-8200-000000000004";

    /** The URI of the peer libvirtd listening on {@code port}. */
    public static String peerUri(int port) {
        return "qemu+tcp://127.0.0.1:" + port + "/system";
    }

    /**
     * {@code memdrs-lab.sh peer up|stop|down NAME PORT WORKDIR}: a second libvirtd on this machine (own mount
     * namespace, own host UUID, TCP on 127.0.0.1:PORT); stop SIGKILLs the daemon only, down also destroys its guests.
     */
    public Run peer(String action, String name, int port) {
        return run(List.of("bash", script.toString(), "peer", action, name, Integer.toString(port), workDir.toString()),
                Duration.ofMinutes(5));
    }

    /** {@code memdrs-lab.sh migrant start|remove URI WORKDIR}. */
    public Run migrant(String action, String uri) {
        return run(List.of("bash", script.toString(), "migrant", action, uri, workDir.toString()), Duration.ofMinutes(2));
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
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("src/test/lab/memdrs-lab.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("src/test/lab/memdrs-lab.sh not found in " + dir + " or its parents");
    }
}
