package io.memdrs.demo;

import io.memdrs.avro.HostLoad;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The latest load of every host, and how to draw it. Pure apart from the map it keeps. */
public final class LoadBoard {
    private static final int BAR = 40;
    private final Map<String, HostLoad> latest = new TreeMap<>();

    public synchronized void update(HostLoad load) {
        latest.put(load.getHost(), load);
    }

    public synchronized int hosts() {
        return latest.size();
    }

    /** Population standard deviation of the host loads (the cluster imbalance). */
    public synchronized double imbalance() {
        return imbalance(latest.values());
    }

    static double imbalance(Collection<HostLoad> loads) {
        if (loads.isEmpty()) {
            return 0;
        }
        double sum = 0;
        double sumSq = 0;
        for (HostLoad l : loads) {
            sum += l.getLoad();
            sumSq += l.getLoad() * l.getLoad();
        }
        double mean = sum / loads.size();
        return Math.sqrt(Math.max(0, sumSq / loads.size() - mean * mean));
    }

    public synchronized String render() {
        StringBuilder out = new StringBuilder();
        for (HostLoad l : latest.values()) {
            int filled = (int) Math.round(Math.min(1.0, l.getLoad()) * BAR);
            out.append(String.format("  %-8s [%s%s] %5.1f %%  %3d VMs  %6.1f / %6.1f GiB  untrusted stats: %d%n",
                    l.getHost(), "#".repeat(filled), " ".repeat(BAR - filled), l.getLoad() * 100, l.getVmCount(),
                    l.getDemandKiB() / 1048576.0, l.getCapacityKiB() / 1048576.0, l.getVmsWithUntrustedStats()));
        }
        return out.toString();
    }
}
