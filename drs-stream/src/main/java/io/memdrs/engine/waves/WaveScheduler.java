package io.memdrs.engine.waves;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts a valid plan (a sequence of moves, each allowed in the state the earlier ones leave) into waves of migrations
 * that run at once, under the per-wave caps, so that no state reached on the way breaks a constraint.
 *
 * <p>Each wave is filled by one scan of the waiting moves in plan order. A move joins unless: the wave is full; its
 * source or target is at its cap; its target's demand at the wave's start plus everything arriving in the wave would
 * pass the high watermark (a migrating VM counts on both hosts until it is done); or an earlier move that shares a
 * host or a rule with it still waits. That last condition keeps, for every host and every rule, the plan's order of
 * the moves that touch it, so each move meets the same host demands and rule counts as in the plan (moves on
 * disjoint hosts and rules commute). Two moves of one must anti-affinity rule share a wave only when they touch no
 * common host. The first waiting move always fits an empty wave, so every wave makes progress; a unit (a must
 * affinity group) larger than a cap goes into a wave where its hosts move nothing else.
 *
 * <p>Cost: O(waves × moves) scans; pure, deterministic.
 */
public final class WaveScheduler {
    private static final double EPSILON = 1e-12;

    private WaveScheduler() {
    }

    /**
     * Schedules the plan.
     *
     * @param plan the moves in plan order; the moves of a unit are adjacent
     * @param demandKiB each host's demand before the plan (not modified)
     * @param capacityKiB each host's capacity
     * @param watermark highest load a target may reach, a fraction of capacity
     * @param caps the per-wave caps; with a cluster-wide cap of 0 nothing is scheduled
     */
    public static WaveSchedule schedule(List<WaveMove> plan, long[] demandKiB, long[] capacityKiB, double watermark,
            WaveCaps caps) {
        int n = plan.size();
        int[] waveOf = new int[n];
        Wait[] waited = new Wait[n];
        List<int[]> units = units(plan);
        if (caps.migrations() <= 0 || units.isEmpty()) {
            java.util.Arrays.fill(waited, Wait.WAVE_CAP);
            return new WaveSchedule(waveOf, waited, 0);
        }
        int hosts = demandKiB.length;
        long[] demand = demandKiB.clone();
        boolean[] done = new boolean[units.size()];
        int remaining = units.size();
        int wave = 0;
        int[] blockedIn = new int[hosts];
        Wait[] hostWait = new Wait[hosts];
        while (remaining > 0) {
            wave++;
            long[] incoming = new long[hosts];
            int[] out = new int[hosts];
            int[] in = new int[hosts];
            Set<Integer> blockedKeys = new HashSet<>();
            Map<Integer, Set<Integer>> spreadHosts = new HashMap<>();
            List<Integer> accepted = new ArrayList<>();
            int count = 0;
            for (int u = 0; u < units.size(); u++) {
                if (done[u]) {
                    continue;
                }
                int start = units.get(u)[0];
                int end = units.get(u)[1];
                WaveMove head = plan.get(start);
                int k = end - start;
                int s = head.source();
                int t = head.target();
                long d = 0;
                for (int i = start; i < end; i++) {
                    d += plan.get(i).demandKiB();
                }
                Wait why;
                if (blockedIn[s] == wave || blockedIn[t] == wave || anyKey(plan, start, end, blockedKeys)) {
                    // behind a waiting move: say what holds that one back when it is a host's cap
                    why = blockedIn[s] == wave && hostWait[s] == Wait.OUTFLOW_CAP ? Wait.OUTFLOW_CAP
                            : blockedIn[t] == wave && (hostWait[t] == Wait.INFLOW_CAP || hostWait[t] == Wait.ROOM)
                            ? hostWait[t] : Wait.ORDER;
                } else if (count > 0 && count + k > caps.migrations()) {
                    why = Wait.WAVE_CAP;
                } else if (out[s] + k > caps.outflowPerHost() && !(out[s] == 0 && k > caps.outflowPerHost())) {
                    why = Wait.OUTFLOW_CAP;
                } else if (in[t] + k > caps.inflowPerHost() && !(in[t] == 0 && k > caps.inflowPerHost())) {
                    why = Wait.INFLOW_CAP;
                } else if ((double) (demand[t] + incoming[t] + d) / capacityKiB[t] > watermark + EPSILON) {
                    why = Wait.ROOM;
                } else if (spreadConflict(plan, start, end, s, t, spreadHosts)) {
                    why = Wait.ORDER;
                } else {
                    why = null;
                }
                if (why != null) {
                    if (blockedIn[s] != wave) {
                        hostWait[s] = why == Wait.OUTFLOW_CAP ? why : Wait.ORDER;
                    }
                    if (blockedIn[t] != wave) {
                        hostWait[t] = why == Wait.INFLOW_CAP || why == Wait.ROOM ? why : Wait.ORDER;
                    }
                    blockedIn[s] = wave;
                    blockedIn[t] = wave;
                    for (int i = start; i < end; i++) {
                        for (int key : plan.get(i).ruleKeys()) {
                            blockedKeys.add(key);
                        }
                        if (waited[i] == null) {
                            waited[i] = why;
                        }
                    }
                    continue;
                }
                incoming[t] += d;
                out[s] += k;
                in[t] += k;
                count += k;
                for (int i = start; i < end; i++) {
                    for (int key : plan.get(i).spreadKeys()) {
                        Set<Integer> used = spreadHosts.computeIfAbsent(key, x -> new HashSet<>());
                        used.add(s);
                        used.add(t);
                    }
                    waveOf[i] = wave;
                    if (waited[i] == null) {
                        waited[i] = Wait.NONE;
                    }
                }
                accepted.add(u);
            }
            if (accepted.isEmpty()) {
                throw new IllegalStateException("wave " + wave + " could take none of " + remaining
                        + " waiting units: the plan is not valid in the order given");
            }
            for (int u : accepted) {
                done[u] = true;
                remaining--;
                for (int i = units.get(u)[0]; i < units.get(u)[1]; i++) {
                    WaveMove m = plan.get(i);
                    demand[m.source()] -= m.demandKiB();
                    demand[m.target()] += m.demandKiB();
                }
            }
        }
        return new WaveSchedule(waveOf, waited, wave);
    }

    /** [start, end) index ranges of the plan's units, in plan order. */
    private static List<int[]> units(List<WaveMove> plan) {
        List<int[]> units = new ArrayList<>();
        int i = 0;
        while (i < plan.size()) {
            int j = i + 1;
            while (j < plan.size() && plan.get(j).unit() == plan.get(i).unit()) {
                if (plan.get(j).source() != plan.get(i).source() || plan.get(j).target() != plan.get(i).target()) {
                    throw new IllegalArgumentException("the moves of unit " + plan.get(i).unit()
                            + " do not share one source and one target");
                }
                j++;
            }
            units.add(new int[] {i, j});
            i = j;
        }
        return units;
    }

    private static boolean anyKey(List<WaveMove> plan, int start, int end, Set<Integer> keys) {
        if (keys.isEmpty()) {
            return false;
        }
        for (int i = start; i < end; i++) {
            for (int key : plan.get(i).ruleKeys()) {
                if (keys.contains(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean spreadConflict(List<WaveMove> plan, int start, int end, int s, int t,
            Map<Integer, Set<Integer>> spreadHosts) {
        for (int i = start; i < end; i++) {
            for (int key : plan.get(i).spreadKeys()) {
                Set<Integer> used = spreadHosts.get(key);
                if (used != null && (used.contains(s) || used.contains(t))) {
                    return true;
                }
            }
        }
        return false;
    }
}
