package io.memdrs.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The best imbalance reachable with at most k balance moves, by trying every assignment of every movable VM.
 *
 * <p>It starts where the plan's mandatory moves leave the cluster and allows what the engine's balance moves may do
 * (trusted, movable VMs not in cooldown on balanced hosts; balanced targets other than the host a VM just left; the
 * caps left after the mandatory moves). Constraints are checked on the final placement only — no rule more violated
 * than at the start, no host that received a VM above the watermark — which is weaker than the engine's step-by-step
 * checks, so the oracle's optimum is a lower bound for any plan the engine could produce.
 */
public final class ExhaustiveOracle {
    private final Policy policy;
    private final Host[] hosts;
    private final boolean[] balanced;
    private final long[] capacity;
    private final long[] demand;
    private final List<int[]> choices = new ArrayList<>();
    private final int[] vmHost;
    private final long[] vmDemand;
    private final int[] inflowLeft;
    private final int[] outflowLeft;
    private final int[] received;
    private final List<Rule> rules;
    private final int[] ruleStart;
    private final Map<String, Integer> vmIndex = new HashMap<>();
    private final int[] movable;
    private double best;
    /** Leaves visited by the last search. */
    public long leaves;

    public ExhaustiveOracle(Snapshot snapshot, Policy policy, Instant now, Plan plan) {
        this.policy = policy;
        this.hosts = snapshot.hosts().toArray(new Host[0]);
        Map<String, Integer> hostIndex = new HashMap<>();
        balanced = new boolean[hosts.length];
        capacity = new long[hosts.length];
        demand = new long[hosts.length];
        inflowLeft = new int[hosts.length];
        outflowLeft = new int[hosts.length];
        received = new int[hosts.length];
        for (int h = 0; h < hosts.length; h++) {
            hostIndex.put(hosts[h].name(), h);
            balanced[h] = !hosts[h].maintenance() && hosts[h].state() == HostState.ACTIVE && hosts[h].capacityKiB() > 0;
            capacity[h] = hosts[h].capacityKiB();
            // the whole plan is not bound by the per-wave caps (the wave scheduler is)
            inflowLeft[h] = Integer.MAX_VALUE / 2;
            outflowLeft[h] = Integer.MAX_VALUE / 2;
        }
        List<Vm> vms = snapshot.vms();
        vmHost = new int[vms.size()];
        vmDemand = new long[vms.size()];
        for (int v = 0; v < vms.size(); v++) {
            vmIndex.put(vms.get(v).uuid(), v);
            vmHost[v] = hostIndex.get(vms.get(v).host());
            vmDemand[v] = vms.get(v).demandKiB();
        }
        boolean[] frozen = new boolean[vms.size()];
        for (Recommendation r : plan.waves().stream().flatMap(w -> w.recommendations().stream()).toList()) {
            if (r.mandatory()) {
                int v = vmIndex.get(r.vmUuid());
                int t = hostIndex.get(r.target());
                outflowLeft[vmHost[v]]--;
                inflowLeft[t]--;
                vmHost[v] = t;
                frozen[v] = true;
            }
        }
        for (int v = 0; v < vms.size(); v++) {
            demand[vmHost[v]] += vmDemand[v];
        }
        List<Integer> candidates = new ArrayList<>();
        for (int v = 0; v < vms.size(); v++) {
            Vm vm = vms.get(v);
            int s = vmHost[v];
            VmHistory h = snapshot.history().get(vm.uuid());
            Duration ago = h == null ? null : Duration.between(h.lastMoveAt(), now);
            if (frozen[v] || !vm.movable() || vm.confidence() != Confidence.HIGH || !balanced[s]
                    || (ago != null && ago.compareTo(policy.cooldown()) < 0)) {
                continue;
            }
            List<Integer> targets = new ArrayList<>();
            for (int t = 0; t < hosts.length; t++) {
                Instant left = h == null ? null : h.leftAt(hosts[t].name());
                boolean noReturn = left != null && Duration.between(left, now).compareTo(policy.noReturnWindow()) < 0;
                if (t != s && balanced[t] && !noReturn) {
                    targets.add(t);
                }
            }
            if (!targets.isEmpty()) {
                candidates.add(v);
                choices.add(targets.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        movable = candidates.stream().mapToInt(Integer::intValue).toArray();
        rules = snapshot.rules();
        ruleStart = new int[rules.size()];
        for (int r = 0; r < rules.size(); r++) {
            ruleStart[r] = measure(rules.get(r));
        }
    }

    /** The best σ with at most {@code moves} balance moves. */
    public double bestSigma(int moves) {
        best = sigma();
        leaves = 0;
        search(0, moves);
        return best;
    }

    /** σ where the mandatory moves leave the cluster. */
    public double startSigma() {
        return sigma();
    }

    private void search(int i, int movesLeft) {
        if (i == movable.length || movesLeft == 0) {
            leaves++;
            if (feasible()) {
                best = Math.min(best, sigma());
            }
            return;
        }
        search(i + 1, movesLeft);
        int v = movable[i];
        int s = vmHost[v];
        if (outflowLeft[s] <= 0) {
            return;
        }
        for (int t : choices.get(i)) {
            if (inflowLeft[t] <= 0) {
                continue;
            }
            outflowLeft[s]--;
            inflowLeft[t]--;
            received[t]++;
            demand[s] -= vmDemand[v];
            demand[t] += vmDemand[v];
            vmHost[v] = t;
            search(i + 1, movesLeft - 1);
            vmHost[v] = s;
            demand[t] -= vmDemand[v];
            demand[s] += vmDemand[v];
            received[t]--;
            inflowLeft[t]++;
            outflowLeft[s]++;
        }
    }

    private boolean feasible() {
        for (int h = 0; h < hosts.length; h++) {
            if (received[h] > 0 && (double) demand[h] / capacity[h] > policy.highWatermark() + 1e-12) {
                return false;
            }
        }
        for (int r = 0; r < rules.size(); r++) {
            if (measure(rules.get(r)) > ruleStart[r]) {
                return false;
            }
        }
        return true;
    }

    private int measure(Rule rule) {
        switch (rule.type()) {
            case ANTI_AFFINITY: {
                int[] count = new int[hosts.length];
                int sum = 0;
                for (String uuid : rule.vms()) {
                    if (count[vmHost[vmIndex.get(uuid)]]++ > 0) {
                        sum++;
                    }
                }
                return sum;
            }
            case AFFINITY: {
                boolean[] seen = new boolean[hosts.length];
                int distinct = 0;
                for (String uuid : rule.vms()) {
                    int h = vmHost[vmIndex.get(uuid)];
                    if (!seen[h]) {
                        seen[h] = true;
                        distinct++;
                    }
                }
                return distinct - 1;
            }
            default: {
                int sum = 0;
                for (String uuid : rule.vms()) {
                    boolean listed = rule.hosts().contains(hosts[vmHost[vmIndex.get(uuid)]].name());
                    if (listed != (rule.type() == RuleType.VM_HOST_AFFINITY)) {
                        sum++;
                    }
                }
                return sum;
            }
        }
    }

    private double sigma() {
        int n = 0;
        double sum = 0;
        for (int h = 0; h < hosts.length; h++) {
            if (balanced[h]) {
                n++;
                sum += (double) demand[h] / capacity[h];
            }
        }
        if (n == 0) {
            return 0;
        }
        double mean = sum / n;
        double ss = 0;
        for (int h = 0; h < hosts.length; h++) {
            if (balanced[h]) {
                double d = (double) demand[h] / capacity[h] - mean;
                ss += d * d;
            }
        }
        return Math.sqrt(ss / n);
    }
}
