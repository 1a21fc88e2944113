package io.memdrs.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded generators of cluster snapshots for property tests and benchmarks. */
public final class ClusterGenerator {
    public static final long GIB = 1024L * 1024;
    /** The instant every generated snapshot is planned at. */
    public static final Instant NOW = Instant.parse("2025-01-15T12:00:00Z");

    /** Shapes of mid-size clusters. */
    public enum Family {
        /** Similar hosts, random VM mixes: mild imbalance. */
        UNIFORM,
        /** Host loads spread from 15 % to 85 %. */
        SKEWED,
        /** Hosts near the mean and one or two near or above the high watermark. */
        HOT_HOST,
        /** Many 1–2 GiB VMs on skewed hosts. */
        SMALL_VMS,
        /** Skewed hosts with anti-affinity groups, affinity pairs and VM–host rules on a third of the VMs. */
        RULES_HEAVY
    }

    private ClusterGenerator() {
    }

    /**
     * A mid-size cluster of the family: every VM trusted and movable, no history, the placement breaks no rule and
     * no host starts in maintenance (so that baselines without mandatory moves compare fairly).
     */
    public static Snapshot midSize(Family family, int hosts, int minVmsPerHost, int maxVmsPerHost, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] capacities = {256 * GIB, 384 * GIB, 512 * GIB};
        List<Host> hostList = new ArrayList<>();
        List<Vm> vms = new ArrayList<>();
        int hot = rnd.nextInt(hosts);
        int hot2 = rnd.nextInt(hosts);
        for (int h = 0; h < hosts; h++) {
            long memory = capacities[rnd.nextInt(capacities.length)] + 8 * GIB;
            String name = String.format("h%03d", h);
            hostList.add(new Host(name, memory, 8 * GIB, false));
            double load;
            switch (family) {
                case UNIFORM:
                    load = 0.45 + rnd.nextDouble() * 0.25;
                    break;
                case HOT_HOST:
                    load = h == hot ? 0.93 : h == hot2 ? 0.86 : 0.40 + rnd.nextDouble() * 0.25;
                    break;
                default:
                    load = 0.15 + rnd.nextDouble() * 0.70;
            }
            int count = minVmsPerHost + rnd.nextInt(maxVmsPerHost - minVmsPerHost + 1);
            boolean small = family == Family.SMALL_VMS;
            fill(vms, name, memory - 8 * GIB, load, count, small, rnd, h);
        }
        List<Rule> rules = family == Family.RULES_HEAVY ? consistentRules(hostList, vms, rnd) : List.of();
        return new Snapshot("gen-" + family.name().toLowerCase() + "-" + seed, hostList, vms, rules);
    }

    private static void fill(List<Vm> vms, String host, long capacity, double load, int count, boolean small,
            SplittableRandom rnd, int h) {
        long[] sizes = small ? new long[] {1, 2} : new long[] {2, 4, 4, 8, 8, 8, 16, 16, 32};
        long[] size = new long[count];
        double[] share = drawSizes(sizes, size, rnd);
        double wanted = load * capacity;
        for (int i = 0; i < count; i++) {
            long demand = Math.max(GIB / 4, (long) (wanted * share[i]));
            long vmSize = Math.max(size[i], roundUpGib(demand));
            String uuid = String.format("vm-%03d-%03d", h, i);
            vms.add(new Vm(uuid, uuid, host, demand, vmSize, Confidence.HIGH, true));
        }
    }

    /**
     * Fills {@code size} with VM sizes drawn from {@code sizesGib} and returns each VM's share of its host's demand:
     * proportional to its size, jittered, summing to 1.
     */
    static double[] drawSizes(long[] sizesGib, long[] size, SplittableRandom rnd) {
        double[] share = new double[size.length];
        double total = 0;
        for (int i = 0; i < size.length; i++) {
            size[i] = sizesGib[rnd.nextInt(sizesGib.length)] * GIB;
            share[i] = size[i] * (0.3 + 0.7 * rnd.nextDouble());
            total += share[i];
        }
        for (int i = 0; i < size.length; i++) {
            share[i] /= total;
        }
        return share;
    }

    private static long roundUpGib(long kib) {
        return (kib + GIB - 1) / GIB * GIB;
    }

    private static List<Rule> consistentRules(List<Host> hosts, List<Vm> vms, SplittableRandom rnd) {
        Map<String, List<Vm>> byHost = new HashMap<>();
        for (Vm vm : vms) {
            byHost.computeIfAbsent(vm.host(), k -> new ArrayList<>()).add(vm);
        }
        List<Rule> rules = new ArrayList<>();
        int groups = vms.size() / 12;
        for (int g = 0; g < groups; g++) {
            int size = 2 + rnd.nextInt(3);
            List<String> members = new ArrayList<>();
            List<String> used = new ArrayList<>();
            for (int tries = 0; tries < 20 && members.size() < size; tries++) {
                Host h = hosts.get(rnd.nextInt(hosts.size()));
                List<Vm> on = byHost.get(h.name());
                if (on == null || on.isEmpty() || used.contains(h.name())) {
                    continue;
                }
                used.add(h.name());
                members.add(on.get(rnd.nextInt(on.size())).uuid());
            }
            if (members.size() >= 2) {
                rules.add(new Rule("aa-" + g, RuleType.ANTI_AFFINITY, members, List.of(), rnd.nextInt(4) != 0));
            }
        }
        for (int g = 0; g < vms.size() / 40; g++) {
            List<Vm> on = byHost.get(hosts.get(rnd.nextInt(hosts.size())).name());
            if (on != null && on.size() >= 2) {
                rules.add(new Rule("af-" + g, RuleType.AFFINITY, List.of(on.get(0).uuid(), on.get(1).uuid()),
                        List.of(), true));
            }
        }
        for (int g = 0; g < vms.size() / 30; g++) {
            Vm vm = vms.get(rnd.nextInt(vms.size()));
            List<String> allowed = new ArrayList<>();
            allowed.add(vm.host());
            for (Host h : hosts) {
                if (!h.name().equals(vm.host()) && rnd.nextInt(3) == 0) {
                    allowed.add(h.name());
                }
            }
            rules.add(new Rule("vh-" + g, RuleType.VM_HOST_AFFINITY, List.of(vm.uuid()), allowed, true));
        }
        for (int g = 0; g < vms.size() / 30; g++) {
            Vm vm = vms.get(rnd.nextInt(vms.size()));
            List<String> avoid = new ArrayList<>();
            for (Host h : hosts) {
                if (!h.name().equals(vm.host()) && rnd.nextInt(4) == 0) {
                    avoid.add(h.name());
                }
            }
            if (!avoid.isEmpty()) {
                rules.add(new Rule("vx-" + g, RuleType.VM_HOST_ANTI_AFFINITY, List.of(vm.uuid()), avoid,
                        rnd.nextBoolean()));
            }
        }
        return rules;
    }

    /**
     * A small cluster for the exhaustive oracle: 2–5 hosts, 3–12 VMs, sometimes a host in maintenance or unknown,
     * some untrusted, pinned or recently moved VMs, and random rules (sometimes already violated).
     */
    public static Snapshot small(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int hostCount = 2 + rnd.nextInt(4);
        List<Host> hosts = new ArrayList<>();
        int maintenance = hostCount >= 3 && rnd.nextInt(5) == 0 ? rnd.nextInt(hostCount) : -1;
        int unknown = hostCount >= 3 && rnd.nextInt(8) == 0 ? rnd.nextInt(hostCount) : -1;
        for (int h = 0; h < hostCount; h++) {
            long memory = (rnd.nextBoolean() ? 64 : 96) * GIB;
            hosts.add(new Host("h" + h, memory, rnd.nextInt(3) * 2 * GIB, h == maintenance,
                    h == unknown ? HostState.UNKNOWN : HostState.ACTIVE));
        }
        int vmCount = 3 + rnd.nextInt(10);
        List<Vm> vms = new ArrayList<>();
        Map<String, VmHistory> history = new HashMap<>();
        double[] bias = new double[hostCount];
        for (int h = 0; h < hostCount; h++) {
            bias[h] = 0.2 + rnd.nextDouble() * 2;
        }
        for (int i = 0; i < vmCount; i++) {
            int h = pick(bias, rnd);
            long size = new long[] {2, 4, 8, 8, 12, 16}[rnd.nextInt(6)] * GIB;
            long demand = (long) (size * (0.3 + 0.7 * rnd.nextDouble()));
            Confidence confidence = rnd.nextInt(10) == 0 ? Confidence.LOW : Confidence.HIGH;
            boolean movable = rnd.nextInt(20) != 0;
            String uuid = "u" + i;
            vms.add(new Vm(uuid, "vm" + i, "h" + h, demand, size, confidence, movable));
            int roll = rnd.nextInt(10);
            if (roll == 0) {
                history.put(uuid, new VmHistory(uuid, NOW.minus(Duration.ofMinutes(10)), "h" + rnd.nextInt(hostCount)));
            } else if (roll == 1) {
                history.put(uuid, new VmHistory(uuid, NOW.minus(Duration.ofHours(3)), "h" + rnd.nextInt(hostCount)));
            }
        }
        List<Rule> rules = new ArrayList<>();
        int ruleCount = rnd.nextInt(4);
        for (int r = 0; r < ruleCount && vmCount >= 2; r++) {
            RuleType type = RuleType.values()[rnd.nextInt(4)];
            boolean must = rnd.nextInt(3) != 0;
            if (type.betweenVms()) {
                int a = rnd.nextInt(vmCount);
                int b = (a + 1 + rnd.nextInt(vmCount - 1)) % vmCount;
                List<String> members = new ArrayList<>(List.of("u" + a, "u" + b));
                int c = rnd.nextInt(vmCount);
                if (type == RuleType.ANTI_AFFINITY && rnd.nextBoolean() && !members.contains("u" + c)) {
                    members.add("u" + c);
                }
                rules.add(new Rule("r" + r, type, members, List.of(), must));
            } else {
                List<String> listed = new ArrayList<>();
                for (int h = 0; h < hostCount; h++) {
                    if (rnd.nextInt(2) == 0) {
                        listed.add("h" + h);
                    }
                }
                if (listed.isEmpty()) {
                    listed.add("h" + rnd.nextInt(hostCount));
                }
                rules.add(new Rule("r" + r, type, List.of("u" + rnd.nextInt(vmCount)), listed, must));
            }
        }
        return new Snapshot("small-" + seed, hosts, vms, rules, history, TriggerHistory.NONE);
    }

    /** A random policy for small clusters: level 2–5, caps 1–3 per host, 1–5 moves per round. */
    public static Policy smallPolicy(long seed, boolean stopBandOff) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        return Policy.builder().migrationThreshold(2 + rnd.nextInt(4))
                .highWatermark(0.85 + rnd.nextInt(3) * 0.05)
                .minGoodness(rnd.nextBoolean() ? 0.0005 : 0.002)
                .maxMovesPerRound(1 + rnd.nextInt(5))
                .maxInflowPerHost(1 + rnd.nextInt(3))
                .maxOutflowPerHost(1 + rnd.nextInt(3))
                .lowerBand(stopBandOff ? 0.001 : 0.8)
                .build();
    }

    private static int pick(double[] weights, SplittableRandom rnd) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = rnd.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
