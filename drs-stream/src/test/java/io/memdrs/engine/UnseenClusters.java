package io.memdrs.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded generators of cluster shapes the mid-size families do not make, each with a random policy (level, watermark,
 * per-wave caps): the shapes where capped rounds, evacuations and groups go wrong.
 */
public final class UnseenClusters {
    private static final long GIB = ClusterGenerator.GIB;

    /** The shapes. */
    public enum Shape {
        /** One host of large VMs (16–64 GiB) far above the others: its outflow cap binds. */
        ONE_HOT_HOST_LARGE_VMS,
        /** Two hot hosts, the rest near the mean. */
        TWO_HOT_HOSTS,
        /** Hosts of 128, 256 and 512 GiB with skewed loads. */
        HETEROGENEOUS_SIZES,
        /** One or two hosts in maintenance holding 2–4 × the outflow cap of VMs. */
        MAINTENANCE_OVER_CAP,
        /** A host in maintenance evacuated into a nearly full cluster with must anti-affinity pairs. */
        EVACUATION_INTO_FULL,
        /** Must affinity groups of 2–4 VMs, some on a host in maintenance, plus should rules. */
        AFFINITY_GROUPS,
        /** 2–4 hosts of a few VMs each. */
        TINY
    }

    private UnseenClusters() {
    }

    /** The policy a case of this seed runs under. */
    public static Policy policy(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        return Policy.builder().migrationThreshold(2 + rnd.nextInt(4)).highWatermark(0.85 + rnd.nextInt(3) * 0.05)
                .maxMovesPerRound(2 + rnd.nextInt(15)).maxOutflowPerHost(1 + rnd.nextInt(4))
                .maxInflowPerHost(1 + rnd.nextInt(4)).build();
    }

    /** A cluster of the shape. */
    public static Snapshot generate(Shape shape, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Policy policy = policy(seed);
        int hosts = shape == Shape.TINY ? 2 + rnd.nextInt(3) : 4 + rnd.nextInt(13);
        List<Host> hostList = new ArrayList<>();
        List<Vm> vms = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        Map<String, VmHistory> history = new HashMap<>();
        int hot = rnd.nextInt(hosts);
        int hot2 = (hot + 1 + rnd.nextInt(hosts - 1)) % hosts;
        int maintenance = shape == Shape.MAINTENANCE_OVER_CAP || shape == Shape.EVACUATION_INTO_FULL
                || (shape == Shape.AFFINITY_GROUPS && rnd.nextBoolean()) ? hot : -1;
        int maintenance2 = shape == Shape.MAINTENANCE_OVER_CAP && hosts > 5 && rnd.nextBoolean() ? hot2 : -1;
        int vmId = 0;
        for (int h = 0; h < hosts; h++) {
            long capacity = shape == Shape.HETEROGENEOUS_SIZES ? new long[] {128, 256, 512}[rnd.nextInt(3)] * GIB
                    : shape == Shape.TINY ? (32 + rnd.nextInt(4) * 32) * GIB : 256 * GIB;
            String name = String.format("n%02d", h);
            boolean inMaintenance = h == maintenance || h == maintenance2;
            hostList.add(new Host(name, capacity + 4 * GIB, 4 * GIB, inMaintenance));
            double load;
            int count;
            long[] sizes = {2, 4, 8, 8, 16, 32};
            switch (shape) {
                case ONE_HOT_HOST_LARGE_VMS:
                    load = h == hot ? 0.86 + rnd.nextDouble() * 0.12 : 0.25 + rnd.nextDouble() * 0.3;
                    count = h == hot ? 8 + rnd.nextInt(10) : 3 + rnd.nextInt(12);
                    if (h == hot) {
                        sizes = new long[] {16, 24, 32, 48, 64};
                    }
                    break;
                case TWO_HOT_HOSTS:
                    load = h == hot || h == hot2 ? 0.8 + rnd.nextDouble() * 0.15 : 0.3 + rnd.nextDouble() * 0.3;
                    count = 3 + rnd.nextInt(14);
                    break;
                case MAINTENANCE_OVER_CAP:
                    count = inMaintenance ? policy.maxOutflowPerHost() * (2 + rnd.nextInt(3)) : 2 + rnd.nextInt(12);
                    load = inMaintenance ? 0.3 + rnd.nextDouble() * 0.4 : 0.2 + rnd.nextDouble() * 0.45;
                    break;
                case EVACUATION_INTO_FULL:
                    count = inMaintenance ? 4 + rnd.nextInt(10) : 3 + rnd.nextInt(10);
                    load = inMaintenance ? 0.3 + rnd.nextDouble() * 0.4 : 0.65 + rnd.nextDouble() * 0.2;
                    break;
                case TINY:
                    count = 1 + rnd.nextInt(5);
                    load = 0.1 + rnd.nextDouble() * 0.75;
                    break;
                default:
                    count = 2 + rnd.nextInt(14);
                    load = 0.15 + rnd.nextDouble() * 0.7;
            }
            long[] size = new long[count];
            double[] share = ClusterGenerator.drawSizes(sizes, size, rnd);
            for (int i = 0; i < count; i++) {
                long demand = Math.max(GIB / 4, Math.min(size[i], (long) (load * capacity * share[i])));
                String uuid = String.format("u%05d", vmId++);
                double r = rnd.nextDouble();
                Confidence confidence = r < 0.05 ? Confidence.LOW : Confidence.HIGH;
                boolean movable = rnd.nextDouble() >= 0.03;
                vms.add(new Vm(uuid, "vm" + uuid.substring(1), name, demand, size[i], confidence, movable));
                double hr = rnd.nextDouble();
                if (hr < 0.05) {
                    history.put(uuid, new VmHistory(uuid, ClusterGenerator.NOW.minus(Duration.ofMinutes(20)),
                            String.format("n%02d", rnd.nextInt(hosts))));
                } else if (hr < 0.10) {
                    history.put(uuid, new VmHistory(uuid, ClusterGenerator.NOW.minus(Duration.ofHours(3)),
                            String.format("n%02d", rnd.nextInt(hosts))));
                }
            }
        }
        if (shape == Shape.EVACUATION_INTO_FULL || shape == Shape.AFFINITY_GROUPS || rnd.nextInt(4) == 0) {
            rules.addAll(rules(shape, hostList, vms, rnd));
        }
        return new Snapshot("unseen-" + shape.name().toLowerCase() + "-" + seed, hostList, vms, rules)
                .withHistory(history);
    }

    /** Rules the starting placement keeps: anti-affinity pairs on distinct hosts, affinity groups on one host. */
    private static List<Rule> rules(Shape shape, List<Host> hosts, List<Vm> vms, SplittableRandom rnd) {
        Map<String, List<Vm>> byHost = new HashMap<>();
        for (Vm vm : vms) {
            byHost.computeIfAbsent(vm.host(), h -> new ArrayList<>()).add(vm);
        }
        List<Rule> rules = new ArrayList<>();
        int pairs = vms.size() / 6;
        for (int i = 0; i < pairs; i++) {
            Vm a = vms.get(rnd.nextInt(vms.size()));
            Vm b = vms.get(rnd.nextInt(vms.size()));
            if (!a.host().equals(b.host())) {
                rules.add(new Rule("aa" + i, RuleType.ANTI_AFFINITY, List.of(a.uuid(), b.uuid()), List.of(),
                        rnd.nextInt(4) != 0));
            } else if (a != b && rnd.nextInt(3) == 0) {
                // a should rule broken from the start: repaired where that costs no balance
                rules.add(new Rule("sa" + i, RuleType.ANTI_AFFINITY, List.of(a.uuid(), b.uuid()), List.of(), false));
            }
        }
        if (shape == Shape.AFFINITY_GROUPS) {
            int g = 0;
            for (Host h : hosts) {
                List<Vm> on = byHost.getOrDefault(h.name(), List.of());
                if (on.size() >= 2 && rnd.nextInt(3) != 0) {
                    int n = Math.min(on.size(), 2 + rnd.nextInt(3));
                    List<String> members = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        members.add(on.get(i).uuid());
                    }
                    rules.add(new Rule("af" + g++, RuleType.AFFINITY, members, List.of(), rnd.nextInt(3) != 0));
                }
            }
        }
        return rules;
    }
}
