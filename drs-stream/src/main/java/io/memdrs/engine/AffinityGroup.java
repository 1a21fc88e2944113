package io.memdrs.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * VMs bound together by must affinity rules — a rule, or rules that share VMs — and those rules. Such VMs move as
 * one unit: moving any of them alone would break a rule.
 *
 * @param rules the rules' indexes in the {@link RuleBook}
 * @param vms the VMs' indexes, ascending
 */
record AffinityGroup(BitSet rules, TreeSet<Integer> vms) {

    /** The groups whose every rule has all its VMs on host {@code h} now. */
    static List<AffinityGroup> on(RuleBook book, int h) {
        List<Integer> rules = new ArrayList<>();
        for (int r = 0; r < book.ruleCount(); r++) {
            if (together(book, r) && book.countOn(r, h) == book.members(r).length) {
                rules.add(r);
            }
        }
        return merge(book, rules);
    }

    /** The groups of every host that holds all of its group's VMs now; O(rules × members). */
    static List<AffinityGroup> all(RuleBook book, Placement placement) {
        Map<Integer, List<Integer>> byHost = new TreeMap<>();
        for (int r = 0; r < book.ruleCount(); r++) {
            if (!together(book, r)) {
                continue;
            }
            int[] members = book.members(r);
            int h = placement.hostOf(members[0]);
            boolean oneHost = true;
            for (int v : members) {
                oneHost &= placement.hostOf(v) == h;
            }
            if (oneHost) {
                byHost.computeIfAbsent(h, x -> new ArrayList<>()).add(r);
            }
        }
        List<AffinityGroup> groups = new ArrayList<>();
        byHost.values().forEach(rules -> groups.addAll(merge(book, rules)));
        return groups;
    }

    private static boolean together(RuleBook book, int r) {
        return book.rule(r).must() && book.rule(r).type() == RuleType.AFFINITY && book.members(r).length >= 2;
    }

    /** The rules (all on one host) as groups: rules that share a VM form one group. */
    private static List<AffinityGroup> merge(RuleBook book, List<Integer> rules) {
        List<AffinityGroup> groups = new ArrayList<>();
        for (int r : rules) {
            AffinityGroup merged = new AffinityGroup(new BitSet(), new TreeSet<>());
            merged.rules().set(r);
            for (int v : book.members(r)) {
                merged.vms().add(v);
            }
            for (int i = groups.size() - 1; i >= 0; i--) {
                AffinityGroup g = groups.get(i);
                if (g.vms().stream().anyMatch(merged.vms()::contains)) {
                    merged.rules().or(g.rules());
                    merged.vms().addAll(g.vms());
                    groups.remove(i);
                }
            }
            groups.add(merged);
        }
        return groups;
    }

    /** Sum of the VMs' demand, KiB. */
    long demandKiB(Placement placement) {
        long sum = 0;
        for (int v : vms) {
            sum += placement.vm(v).demandKiB();
        }
        return sum;
    }

    /** Sum of the VMs' sizes, KiB. */
    long sizeKiB(Placement placement) {
        long sum = 0;
        for (int v : vms) {
            sum += placement.vm(v).sizeKiB();
        }
        return sum;
    }
}
