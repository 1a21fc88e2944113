package io.memdrs.engine;

import java.util.Arrays;

/** The VMs of each host, kept up to date as moves are applied; avoids O(VMs) scans per host. */
final class HostVms {
    private final Placement placement;
    private final int[][] vms;
    private final int[] counts;
    private final long[] maxDemand;

    HostVms(Placement placement) {
        this.placement = placement;
        counts = new int[placement.hostCount()];
        for (int v = 0; v < placement.vmCount(); v++) {
            counts[placement.hostOf(v)]++;
        }
        vms = new int[placement.hostCount()][];
        for (int h = 0; h < vms.length; h++) {
            vms[h] = new int[Math.max(4, counts[h])];
        }
        Arrays.fill(counts, 0);
        maxDemand = new long[placement.hostCount()];
        for (int v = 0; v < placement.vmCount(); v++) {
            int h = placement.hostOf(v);
            vms[h][counts[h]++] = v;
            maxDemand[h] = Math.max(maxDemand[h], placement.vm(v).demandKiB());
        }
    }

    /** The largest demand of a VM on the host, KiB. */
    long maxDemand(int h) {
        return maxDemand[h];
    }

    int count(int h) {
        return counts[h];
    }

    /** Some VM of the host (for messages about the host's caps); the host must have one. */
    int first(int h) {
        return vms[h][0];
    }

    /** The host's VMs, ascending index. A fresh copy. */
    int[] on(int h) {
        return Arrays.copyOf(vms[h], counts[h]);
    }

    void moved(int v, int from, int to) {
        int[] a = vms[from];
        int n = counts[from];
        int i = 0;
        while (a[i] != v) {
            i++;
        }
        System.arraycopy(a, i + 1, a, i, n - i - 1);
        counts[from] = n - 1;
        int[] b = vms[to];
        int m = counts[to];
        if (m == b.length) {
            b = Arrays.copyOf(b, m * 2);
            vms[to] = b;
        }
        int j = m;
        while (j > 0 && b[j - 1] > v) {
            b[j] = b[j - 1];
            j--;
        }
        b[j] = v;
        counts[to] = m + 1;
        maxDemand[to] = Math.max(maxDemand[to], placement.vm(v).demandKiB());
        long max = 0;
        for (int k = 0; k < counts[from]; k++) {
            max = Math.max(max, placement.vm(a[k]).demandKiB());
        }
        maxDemand[from] = max;
    }
}
