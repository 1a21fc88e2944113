package io.memdrs.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The placement rules of a snapshot, compiled against a {@link Placement}, with per-host member counts kept up to
 * date so that "would this move break a rule" costs O(rules of the VM).
 *
 * <p>Each rule has a violation measure that is 0 when the rule holds: anti-affinity, the members sharing a host
 * beyond the first; affinity, the distinct hosts of the members beyond the first; VM–host rules, the members on a
 * wrong host. A move breaks a rule when it raises the measure.
 */
final class RuleBook {
    private final Placement placement;
    private final Rule[] rules;
    private final int[][] members;
    private final BitSet[] hostSets;
    private final List<Map<Integer, Integer>> counts;
    private final int[][] rulesOfVm;
    private final List<String> notes;

    RuleBook(Placement placement, List<Rule> snapshotRules) {
        this.placement = placement;
        List<String> found = new ArrayList<>();
        List<Rule> sorted = new ArrayList<>(snapshotRules);
        sorted.sort((x, y) -> x.id().compareTo(y.id()));
        this.rules = sorted.toArray(new Rule[0]);
        this.members = new int[rules.length][];
        this.hostSets = new BitSet[rules.length];
        this.counts = new ArrayList<>(rules.length);
        List<List<Integer>> byVm = new ArrayList<>(placement.vmCount());
        for (int v = 0; v < placement.vmCount(); v++) {
            byVm.add(null);
        }
        for (int r = 0; r < rules.length; r++) {
            Rule rule = rules[r];
            int[] known = new int[rule.vms().size()];
            int count = 0;
            for (String uuid : rule.vms()) {
                int v = placement.vmIndex(uuid);
                if (v < 0) {
                    found.add("rule " + rule.id() + " names vm " + uuid + ", which is not in the snapshot: ignored");
                } else {
                    known[count++] = v;
                }
            }
            members[r] = Arrays.stream(known, 0, count).sorted().distinct().toArray();
            BitSet hosts = new BitSet(placement.hostCount());
            for (String name : rule.hosts()) {
                int h = placement.hostIndex(name);
                if (h < 0) {
                    found.add("rule " + rule.id() + " names host " + name + ", which is not in the snapshot: ignored");
                } else {
                    hosts.set(h);
                }
            }
            hostSets[r] = hosts;
            Map<Integer, Integer> perHost = rule.type().betweenVms() ? new HashMap<>() : Map.of();
            for (int v : members[r]) {
                if (rule.type().betweenVms()) {
                    perHost.merge(placement.hostOf(v), 1, Integer::sum);
                }
                List<Integer> list = byVm.get(v);
                if (list == null) {
                    list = new ArrayList<>(2);
                    byVm.set(v, list);
                }
                list.add(r);
            }
            counts.add(perHost);
        }
        this.rulesOfVm = new int[placement.vmCount()][];
        for (int v = 0; v < rulesOfVm.length; v++) {
            List<Integer> list = byVm.get(v);
            rulesOfVm[v] = list == null ? new int[0] : list.stream().mapToInt(Integer::intValue).toArray();
        }
        this.notes = List.copyOf(found);
    }

    List<String> notes() {
        return notes;
    }

    int ruleCount() {
        return rules.length;
    }

    Rule rule(int r) {
        return rules[r];
    }

    int[] members(int r) {
        return members[r];
    }

    int[] rulesOf(int v) {
        return rulesOfVm[v];
    }

    boolean hasRules(int v) {
        return rulesOfVm[v].length > 0;
    }

    int countOn(int r, int h) {
        return counts.get(r).getOrDefault(h, 0);
    }

    /** Distinct hosts of the rule's members with their member counts. */
    Map<Integer, Integer> hostsOf(int r) {
        return counts.get(r);
    }

    /** The rule's violation measure now (0 when it holds). */
    int violations(int r) {
        Rule rule = rules[r];
        switch (rule.type()) {
            case ANTI_AFFINITY: {
                int sum = 0;
                for (int c : counts.get(r).values()) {
                    sum += Math.max(0, c - 1);
                }
                return sum;
            }
            case AFFINITY:
                return Math.max(0, counts.get(r).size() - 1);
            case VM_HOST_AFFINITY:
            case VM_HOST_ANTI_AFFINITY: {
                int sum = 0;
                for (int v : members[r]) {
                    if (wrongHost(r, placement.hostOf(v))) {
                        sum++;
                    }
                }
                return sum;
            }
            default:
                throw new IllegalStateException(rule.type().toString());
        }
    }

    /** True when a member of a VM–host rule on this host breaks it. */
    boolean wrongHost(int r, int h) {
        boolean listed = hostSets[r].get(h);
        return rules[r].type() == RuleType.VM_HOST_AFFINITY ? !listed : listed;
    }

    /** Change of the rule's violation measure if member v moved from one host to another. */
    int delta(int r, int v, int from, int to) {
        if (from == to) {
            return 0;
        }
        switch (rules[r].type()) {
            case ANTI_AFFINITY:
                return (countOn(r, to) >= 1 ? 1 : 0) - (countOn(r, from) >= 2 ? 1 : 0);
            case AFFINITY:
                return (countOn(r, to) == 0 ? 1 : 0) - (countOn(r, from) == 1 ? 1 : 0);
            default:
                return (wrongHost(r, to) ? 1 : 0) - (wrongHost(r, from) ? 1 : 0);
        }
    }

    /** The first rule of the VM (in id order) that moving it to the target would break, of the given strength; -1. */
    int firstBroken(int v, int to, boolean must) {
        return firstBroken(v, to, must, NONE);
    }

    /** No rule exempt. */
    static final BitSet NONE = new BitSet();

    /** Like {@link #firstBroken(int, int, boolean)}, leaving the rules in {@code exempt} out. */
    int firstBroken(int v, int to, boolean must, BitSet exempt) {
        int from = placement.hostOf(v);
        for (int r : rulesOfVm[v]) {
            if (!exempt.get(r) && rules[r].must() == must && delta(r, v, from, to) > 0) {
                return r;
            }
        }
        return -1;
    }

    /** Why moving the VM to the target breaks the rule, with the fact that decides it. */
    String describeBreak(int r, int v, int to) {
        Rule rule = rules[r];
        String strength = rule.must() ? "must" : "should";
        String target = placement.host(to).name();
        switch (rule.type()) {
            case ANTI_AFFINITY:
                return "breaks " + strength + " anti-affinity rule " + rule.id() + " (" + memberOn(r, v, to)
                        + " runs on " + target + ")";
            case AFFINITY:
                return "breaks " + strength + " affinity rule " + rule.id() + " (keeps it with "
                        + memberOn(r, v, placement.hostOf(v)) + " on " + placement.host(placement.hostOf(v)).name()
                        + ")";
            case VM_HOST_AFFINITY:
                return "breaks " + strength + " vm-host affinity rule " + rule.id() + " (" + target
                        + " is not one of its hosts)";
            default:
                return "breaks " + strength + " vm-host anti-affinity rule " + rule.id() + " (" + target
                        + " is one of the hosts it must avoid)";
        }
    }

    private String memberOn(int r, int self, int h) {
        for (int m : members[r]) {
            if (m != self && placement.hostOf(m) == h) {
                return placement.vm(m).name();
            }
        }
        return "another member";
    }

    /** Updates the member counts after the VM moved. */
    void moved(int v, int from, int to) {
        for (int r : rulesOfVm[v]) {
            if (!rules[r].type().betweenVms()) {
                continue;
            }
            Map<Integer, Integer> perHost = counts.get(r);
            int left = perHost.get(from) - 1;
            if (left == 0) {
                perHost.remove(from);
            } else {
                perHost.put(from, left);
            }
            perHost.merge(to, 1, Integer::sum);
        }
    }

    /** Host indexes of a rule's host list, ascending. */
    int[] listedHosts(int r) {
        return hostSets[r].stream().toArray();
    }

    @Override
    public String toString() {
        return "RuleBook" + Arrays.toString(rules);
    }
}
