package io.memdrs.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each VM of a snapshot runs, with host loads and the cluster imbalance kept up to date as moves are applied.
 *
 * <p>Hosts are indexed in name order and VMs in UUID order, so every iteration over them is deterministic. The
 * imbalance is the population standard deviation of the loads of the <em>balanced</em> hosts: active, not in
 * maintenance, with capacity. Those are also the only possible targets. The effect of a candidate move on the
 * imbalance is computed in O(1) from the running sums Σ L and Σ L² ({@link #goodness}).
 *
 * <p>Built leniently: a VM on a host that is not in the snapshot, or a second VM with a UUID already seen, is left
 * out and noted ({@link #notes()}).
 */
public final class Placement {
    private final Snapshot snapshot;
    private final Host[] hosts;
    private final Map<String, Integer> hostIndex;
    private final Vm[] vms;
    private final Map<String, Integer> vmIndex;
    private final long[] capacity;
    private final boolean[] balanced;
    private final int balancedCount;
    private final List<String> notes;
    private final long[] demand;
    private final int[] hostOf;
    private double sum;
    private double sumSq;

    private Placement(Snapshot snapshot, Host[] hosts, Map<String, Integer> hostIndex, Vm[] vms,
            Map<String, Integer> vmIndex, long[] capacity, boolean[] balanced, int balancedCount, List<String> notes,
            long[] demand, int[] hostOf) {
        this.snapshot = snapshot;
        this.hosts = hosts;
        this.hostIndex = hostIndex;
        this.vms = vms;
        this.vmIndex = vmIndex;
        this.capacity = capacity;
        this.balanced = balanced;
        this.balancedCount = balancedCount;
        this.notes = notes;
        this.demand = demand;
        this.hostOf = hostOf;
        recomputeSums();
    }

    /** The placement a snapshot describes. */
    public static Placement of(Snapshot snapshot) {
        List<String> notes = new ArrayList<>();
        Map<String, Host> byName = new HashMap<>();
        for (Host h : snapshot.hosts()) {
            if (byName.putIfAbsent(h.name(), h) != null) {
                notes.add("host " + h.name() + " is listed twice: the first entry is used");
            }
        }
        Host[] hosts = byName.values().toArray(new Host[0]);
        Arrays.sort(hosts, Comparator.comparing(Host::name));
        Map<String, Integer> hostIndex = new HashMap<>(hosts.length * 2);
        long[] capacity = new long[hosts.length];
        boolean[] balanced = new boolean[hosts.length];
        int balancedCount = 0;
        for (int i = 0; i < hosts.length; i++) {
            hostIndex.put(hosts[i].name(), i);
            capacity[i] = hosts[i].capacityKiB();
            balanced[i] = hosts[i].balanced();
            if (balanced[i]) {
                balancedCount++;
            }
            if (capacity[i] <= 0) {
                notes.add("host " + hosts[i].name() + " has no capacity (reserved ≥ memory): left out");
            }
        }
        List<Vm> known = new ArrayList<>(snapshot.vms().size());
        for (Vm vm : snapshot.vms()) {
            if (hostIndex.containsKey(vm.host())) {
                known.add(vm);
            } else {
                notes.add("vm " + vm.name() + " (" + vm.uuid() + ") runs on host " + vm.host()
                        + ", which is not in the snapshot: left out");
            }
        }
        Vm[] sorted = known.toArray(new Vm[0]);
        Arrays.sort(sorted, Comparator.comparing(Vm::uuid));
        int unique = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (unique > 0 && sorted[unique - 1].uuid().equals(sorted[i].uuid())) {
                notes.add("vm uuid " + sorted[i].uuid() + " is listed twice: the first entry is used");
            } else {
                sorted[unique++] = sorted[i];
            }
        }
        Vm[] vms = unique == sorted.length ? sorted : Arrays.copyOf(sorted, unique);
        Map<String, Integer> vmIndex = new HashMap<>(vms.length * 2);
        long[] demand = new long[hosts.length];
        int[] hostOf = new int[vms.length];
        for (int v = 0; v < vms.length; v++) {
            vmIndex.put(vms[v].uuid(), v);
            hostOf[v] = hostIndex.get(vms[v].host());
            demand[hostOf[v]] += vms[v].demandKiB();
        }
        return new Placement(snapshot, hosts, hostIndex, vms, vmIndex, capacity, balanced, balancedCount,
                List.copyOf(notes), demand, hostOf);
    }

    /** An independent copy: moves applied to it do not affect this placement. */
    public Placement copy() {
        return new Placement(snapshot, hosts, hostIndex, vms, vmIndex, capacity, balanced, balancedCount, notes,
                demand.clone(), hostOf.clone());
    }

    /** The snapshot this placement started from. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** What was left out of the snapshot, and why. */
    public List<String> notes() {
        return notes;
    }

    public int hostCount() {
        return hosts.length;
    }

    public Host host(int h) {
        return hosts[h];
    }

    /** Index of the named host, or -1. */
    public int hostIndex(String name) {
        Integer i = hostIndex.get(name);
        return i == null ? -1 : i;
    }

    public int vmCount() {
        return vms.length;
    }

    public Vm vm(int v) {
        return vms[v];
    }

    /** Index of the VM with this UUID, or -1. */
    public int vmIndex(String uuid) {
        Integer i = vmIndex.get(uuid);
        return i == null ? -1 : i;
    }

    /** Host the VM runs on now (after the moves applied so far). */
    public int hostOf(int v) {
        return hostOf[v];
    }

    /** Index of the host the VM runs on in the snapshot. */
    public int initialHostOf(int v) {
        return hostIndex.get(vms[v].host());
    }

    /** Memory VMs may use on the host, KiB. */
    public long capacityKiB(int h) {
        return capacity[h];
    }

    /** Sum of the demand of the VMs on the host now, KiB. */
    public long demandKiB(int h) {
        return demand[h];
    }

    /** Load of the host now: demand over capacity, a fraction (0 for a host without capacity). */
    public double load(int h) {
        return capacity[h] > 0 ? (double) demand[h] / capacity[h] : 0.0;
    }

    /** Load the host would have with this much more (or, negative, less) demand. */
    public double loadWith(int h, long extraKiB) {
        return capacity[h] > 0 ? (double) (demand[h] + extraKiB) / capacity[h] : 0.0;
    }

    /** True when the host counts in the imbalance and may receive VMs: active, not in maintenance, with capacity. */
    public boolean balanced(int h) {
        return balanced[h];
    }

    /** Number of balanced hosts. */
    public int balancedHostCount() {
        return balancedCount;
    }

    /** Mean load of the balanced hosts. */
    public double meanLoad() {
        return balancedCount == 0 ? 0.0 : sum / balancedCount;
    }

    /** Sum of squared deviations of balanced host loads from their mean: hosts × σ². */
    public double squaredDeviations() {
        return balancedCount == 0 ? 0.0 : Math.max(0.0, sumSq - sum * sum / balancedCount);
    }

    /** Imbalance now: population standard deviation of the balanced hosts' loads. */
    public double imbalance() {
        return balancedCount == 0 ? 0.0 : Math.sqrt(squaredDeviations() / balancedCount);
    }

    /** How much moving the VM to the target would reduce {@link #squaredDeviations()}; O(1). */
    public double goodness(int v, int target) {
        return goodness(hostOf[v], target, vms[v].demandKiB());
    }

    /** How much moving {@code demandKiB} of demand from source to target would reduce {@link #squaredDeviations()}. */
    public double goodness(int source, int target, long demandKiB) {
        if (source == target || balancedCount == 0) {
            return 0.0;
        }
        double d = demandKiB;
        double dSum = 0.0;
        double dSumSq = 0.0;
        if (balanced[source]) {
            double a = d / capacity[source];
            double ls = (double) demand[source] / capacity[source];
            dSum -= a;
            dSumSq += a * a - 2.0 * a * ls;
        }
        if (balanced[target]) {
            double b = d / capacity[target];
            double lt = (double) demand[target] / capacity[target];
            dSum += b;
            dSumSq += b * b + 2.0 * b * lt;
        }
        double dMeanTerm = (2.0 * sum * dSum + dSum * dSum) / balancedCount;
        return -(dSumSq - dMeanTerm);
    }

    /** Imbalance after moving the VM to the target; O(1). */
    public double imbalanceIfMoved(int v, int target) {
        if (balancedCount == 0) {
            return 0.0;
        }
        double ssd = Math.max(0.0, squaredDeviations() - goodness(v, target));
        return Math.sqrt(ssd / balancedCount);
    }

    /** Moves the VM to the target. */
    public void move(int v, int target) {
        int source = hostOf[v];
        if (source == target) {
            return;
        }
        long d = vms[v].demandKiB();
        demand[source] -= d;
        demand[target] += d;
        hostOf[v] = target;
        recomputeSums();
    }

    /** Indexes of the VMs on the host now, ascending. O(VMs). */
    public int[] vmsOn(int h) {
        int count = 0;
        for (int v = 0; v < hostOf.length; v++) {
            if (hostOf[v] == h) {
                count++;
            }
        }
        int[] result = new int[count];
        int i = 0;
        for (int v = 0; v < hostOf.length; v++) {
            if (hostOf[v] == h) {
                result[i++] = v;
            }
        }
        return result;
    }

    private void recomputeSums() {
        double s = 0.0;
        double sq = 0.0;
        for (int h = 0; h < hosts.length; h++) {
            if (balanced[h]) {
                double l = (double) demand[h] / capacity[h];
                s += l;
                sq += l * l;
            }
        }
        sum = s;
        sumSq = sq;
    }
}
