package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Balanced hosts grouped by capacity, each group kept sorted by load (then index).
 *
 * <p>Moving a VM onto hosts of equal capacity adds the same load to each, so the least-loaded allowed host of a group
 * is the best target the group offers: a candidate search looks at one host per group instead of every host. With
 * more than {@value #MAX_GROUPS} distinct capacities, capacities are bucketed on a log scale and the choice within a
 * bucket is approximate.
 */
final class CapacityGroups {
    static final int MAX_GROUPS = 16;

    private final Placement placement;
    private final int[] groupOf;
    private final int[][] order;
    private final int[] position;

    CapacityGroups(Placement placement) {
        this.placement = placement;
        int hosts = placement.hostCount();
        this.groupOf = new int[hosts];
        this.position = new int[hosts];
        TreeMap<Long, Integer> distinct = new TreeMap<>();
        for (int h = 0; h < hosts; h++) {
            if (placement.balanced(h)) {
                distinct.putIfAbsent(placement.capacityKiB(h), 0);
            }
        }
        int groups;
        if (distinct.size() <= MAX_GROUPS) {
            int i = 0;
            for (Long c : distinct.keySet()) {
                distinct.put(c, i++);
            }
            groups = i;
        } else {
            double lo = Math.log(distinct.firstKey());
            double hi = Math.log(distinct.lastKey());
            for (Long c : distinct.keySet()) {
                distinct.put(c, (int) Math.min(MAX_GROUPS - 1, (Math.log(c) - lo) / (hi - lo) * MAX_GROUPS));
            }
            groups = MAX_GROUPS;
        }
        List<List<Integer>> members = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            members.add(new ArrayList<>());
        }
        for (int h = 0; h < hosts; h++) {
            if (placement.balanced(h)) {
                groupOf[h] = distinct.get(placement.capacityKiB(h));
                members.get(groupOf[h]).add(h);
            } else {
                groupOf[h] = -1;
            }
        }
        members.removeIf(List::isEmpty);
        this.order = new int[members.size()][];
        for (int g = 0; g < order.length; g++) {
            List<Integer> m = members.get(g);
            m.sort((x, y) -> compare(x, y));
            order[g] = m.stream().mapToInt(Integer::intValue).toArray();
            for (int i = 0; i < order[g].length; i++) {
                groupOf[order[g][i]] = g;
                position[order[g][i]] = i;
            }
        }
    }

    int groupCount() {
        return order.length;
    }

    /** Hosts of the group, least loaded first. Do not modify. */
    int[] order(int g) {
        return order[g];
    }

    /** Restores the order after the host's load changed. */
    void update(int h) {
        int g = groupOf[h];
        if (g < 0) {
            return;
        }
        int[] o = order[g];
        int p = position[h];
        while (p > 0 && compare(o[p], o[p - 1]) < 0) {
            swap(o, p, p - 1);
            p--;
        }
        while (p < o.length - 1 && compare(o[p + 1], o[p]) < 0) {
            swap(o, p, p + 1);
            p++;
        }
    }

    private void swap(int[] o, int i, int j) {
        int t = o[i];
        o[i] = o[j];
        o[j] = t;
        position[o[i]] = i;
        position[o[j]] = j;
    }

    private int compare(int x, int y) {
        int c = Double.compare(placement.load(x), placement.load(y));
        return c != 0 ? c : Integer.compare(x, y);
    }
}
