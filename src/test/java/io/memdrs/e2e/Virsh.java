package io.memdrs.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code virsh} client, the independent witness the end-to-end tests compare against. */
final class Virsh {
    private Virsh() {}

    static String run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "virsh";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run virsh (install libvirt-clients): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code virsh dommemstat}: field name → value. */
    static Map<String, Long> dommemstat(String uri, String domain) {
        Map<String, Long> stats = new LinkedHashMap<>();
        for (String line : run("-c", uri, "dommemstat", domain).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                stats.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return stats;
    }

    /** {@code virsh nodememstats}' "total" in KiB (virNodeGetMemoryStats, what the collector reports where it works). */
    static long nodeMemStatsTotalKiB(String uri) {
        for (String line : run("-c", uri, "nodememstats").split("\n")) {
            if (line.trim().startsWith("total")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("virsh nodememstats printed no total");
    }

    /** {@code virsh nodeinfo}'s "Memory size" in KiB. */
    static long nodeMemoryKiB(String uri) {
        for (String line : run("-c", uri, "nodeinfo").split("\n")) {
            if (line.startsWith("Memory size:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("virsh nodeinfo printed no memory size");
    }
}
