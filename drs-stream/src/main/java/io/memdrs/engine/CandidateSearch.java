package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of the greedy balance search: scores every (VM, target) candidate and returns the chosen one, the
 * runners-up and the best candidates that a constraint blocked.
 *
 * <p>Benefit: the drop of σ the move brings, counted down to the stop band only (so that among moves that all
 * finish the job the cheapest wins), plus, when relieving overloaded hosts, the overload it removes from the source
 * (load above the high watermark). Choice: among the allowed candidates whose benefit is at least
 * {@code (1 − goodnessTolerance)} of the best allowed benefit, the one with the most benefit per byte copied (size
 * plus the per-move overhead). So a move never gives up more than that fraction of the best available improvement
 * to copy fewer bytes.
 *
 * <p>Cost: for each VM, one O(1) evaluation per capacity group (the group's least-loaded host is its best target);
 * constraints are checked only for candidates whose benefit could still qualify, scanning up the group's load order
 * past blocked hosts (at most {@value #SCAN_LIMIT} per group; a host over the watermark ends the scan, since every
 * later host of the group is loaded more). Source hosts are visited in descending load, so high benefits come first
 * and prune the rest.
 */
final class CandidateSearch {
    static final int SCAN_LIMIT = 32;
    private static final double KIB_PER_GIB = 1048576.0;

    /** Whether the step relieves overloaded hosts or lowers the imbalance. */
    enum Mode { OVERLOAD, BALANCE }

    /** The outcome of a step. */
    record Result(Candidate best, List<Candidate> runnersUp, List<Candidate> blocked, Candidate belowMinGoodness,
            int consideredVms) {
    }

    private final Placement placement;
    private final MoveRules rules;
    private final Policy policy;
    private final CapacityGroups groups;
    private final HostVms hostVms;
    private final double keep;

    private final List<Candidate> pool = new ArrayList<>();
    private final List<Candidate> blocked = new ArrayList<>();
    private double maxBenefit;
    private double squaredDeviations;
    private int hosts;
    private double sigmaNow;
    private double sigmaFloor;
    private Candidate belowMin;
    private int consideredVms;
    /** VMs scored plus targets checked so far, over all steps: the work measure of the round's search budget. */
    private long evaluations;

    CandidateSearch(Placement placement, MoveRules rules, Policy policy, CapacityGroups groups, HostVms hostVms) {
        this.placement = placement;
        this.rules = rules;
        this.policy = policy;
        this.groups = groups;
        this.hostVms = hostVms;
        this.keep = 1.0 - policy.goodnessTolerance();
    }

    Result run(Mode mode, double stopImbalance) {
        pool.clear();
        blocked.clear();
        maxBenefit = 0.0;
        belowMin = null;
        consideredVms = 0;
        squaredDeviations = placement.squaredDeviations();
        hosts = placement.balancedHostCount();
        sigmaNow = Math.sqrt(squaredDeviations / hosts);
        sigmaFloor = Math.min(stopImbalance, sigmaNow);
        for (int s : sourcesByLoad(mode)) {
            consideredVms += hostVms.count(s);
            if (mode == Mode.BALANCE && !qualifies(benefit(mode, goodnessBound(s), 0.0))) {
                continue;
            }
            double sourceLoad = placement.load(s);
            Rejection sourceClosed = rules.checkCaps(hostVms.first(s), -1);
            for (int v : hostVms.on(s)) {
                Vm vm = placement.vm(v);
                if (vm.demandKiB() == 0) {
                    continue;
                }
                double cost = Math.max(1.0, vm.sizeKiB() + (double) policy.moveOverheadKiB()) / KIB_PER_GIB;
                double overload = 0.0;
                if (mode == Mode.OVERLOAD) {
                    double a = (double) vm.demandKiB() / placement.capacityKiB(s);
                    double hw = policy.highWatermark();
                    overload = Math.max(0.0, sourceLoad - hw) - Math.max(0.0, sourceLoad - a - hw);
                }
                Rejection vmNo = rules.blockedForBalance(v) ? rules.checkVm(v, false) : sourceClosed;
                evaluate(v, s, mode, cost, overload, vmNo);
            }
        }
        List<Candidate> qualified = new ArrayList<>();
        for (Candidate c : pool) {
            if (c.benefit() >= keep * maxBenefit) {
                qualified.add(c);
            }
        }
        qualified.sort((x, y) -> Candidate.byScore(x, y, placement));
        Candidate best = qualified.isEmpty() ? null : qualified.get(0);
        List<Candidate> runners = new ArrayList<>(qualified.subList(Math.min(1, qualified.size()),
                Math.min(4, qualified.size())));
        List<Candidate> worthy = new ArrayList<>();
        for (Candidate c : blocked) {
            if (best == null || c.benefit() >= keep * maxBenefit) {
                worthy.add(c);
            }
        }
        worthy.sort((x, y) -> Candidate.byBenefit(x, y, placement));
        return new Result(best, runners, worthy.size() > 3 ? List.copyOf(worthy.subList(0, 3)) : worthy, belowMin,
                consideredVms);
    }

    /** VMs scored plus targets checked so far by this search, over all its steps. */
    long evaluations() {
        return evaluations;
    }

    private void evaluate(int v, int s, Mode mode, double cost, double overload, Rejection vmNo) {
        evaluations++;
        boolean blockedRecorded = false;
        for (int g = 0; g < groups.groupCount(); g++) {
            int[] order = groups.order(g);
            int first = order[0] == s ? (order.length > 1 ? 1 : -1) : 0;
            if (first < 0) {
                continue;
            }
            double bestGoodness = placement.goodness(v, order[first]);
            double bestBenefit = benefit(mode, bestGoodness, overload);
            if (!qualifies(bestBenefit)) {
                continue;
            }
            if (vmNo != null) {
                if (!blockedRecorded && vmNo.kind() != RejectionKind.ALREADY_MOVING) {
                    blocked(new Candidate(v, order[first], bestGoodness, bestBenefit, bestBenefit / cost, vmNo));
                    blockedRecorded = true;
                }
                continue;
            }
            int scanned = 0;
            for (int i = first; i < order.length && scanned < SCAN_LIMIT; i++) {
                int t = order[i];
                if (t == s) {
                    continue;
                }
                scanned++;
                double goodness = placement.goodness(v, t);
                double benefit = benefit(mode, goodness, overload);
                if (!qualifies(benefit)) {
                    break;
                }
                evaluations++;
                Rejection no = rules.checkTarget(v, t, false);
                if (no != null) {
                    if (!blockedRecorded) {
                        blocked(new Candidate(v, t, goodness, benefit, benefit / cost, no));
                        blockedRecorded = true;
                    }
                    if (no.kind() == RejectionKind.WATERMARK) {
                        break;
                    }
                    continue;
                }
                Candidate c = new Candidate(v, t, goodness, benefit, benefit / cost, null);
                if (mode == Mode.BALANCE && (goodness < policy.minGoodness() || goodness <= 1e-12)) {
                    if (belowMin == null || goodness > belowMin.goodness()) {
                        belowMin = c;
                    }
                } else if (benefit > 0) {
                    pool.add(c);
                    if (benefit > maxBenefit) {
                        maxBenefit = benefit;
                        if (pool.size() > 256) {
                            pool.removeIf(x -> x.benefit() < keep * maxBenefit);
                        }
                    }
                }
                break;
            }
        }
    }

    /**
     * An upper bound of the goodness of moving any VM of the source: for each capacity group, the goodness of moving
     * demand d to the group's least-loaded host is {@code P d − Q d²} (see {@link Placement#goodness}), maximised over
     * d up to the host's largest VM demand. O(groups) instead of O(VMs × groups).
     */
    private double goodnessBound(int s) {
        double dMax = hostVms.maxDemand(s);
        double a = 1.0 / placement.capacityKiB(s);
        double mean = placement.meanLoad();
        double ls = placement.load(s);
        double bound = 0.0;
        for (int g = 0; g < groups.groupCount(); g++) {
            int[] order = groups.order(g);
            int t = order[0] == s ? (order.length > 1 ? order[1] : -1) : order[0];
            if (t < 0) {
                continue;
            }
            double b = 1.0 / placement.capacityKiB(t);
            double p = 2 * a * (ls - mean) - 2 * b * (placement.load(t) - mean);
            double q = a * a + b * b - (b - a) * (b - a) / hosts;
            if (p <= 0 || q <= 0) {
                continue;
            }
            double d = Math.min(dMax, p / (2 * q));
            bound = Math.max(bound, p * d - q * d * d);
        }
        return bound * (1 + 1e-9) + 1e-15;
    }

    /** Δσ down to the stop band (never credit for going below it), plus, for overload moves, the overload removed. */
    private double benefit(Mode mode, double goodness, double overload) {
        double sigmaAfter = Math.sqrt(Math.max(0.0, squaredDeviations - goodness) / hosts);
        double sigmaGain = sigmaNow - Math.max(sigmaAfter, sigmaFloor);
        return mode == Mode.BALANCE ? sigmaGain : overload + Math.max(0.0, sigmaGain);
    }

    private boolean qualifies(double benefit) {
        return benefit > 0 && benefit >= keep * maxBenefit;
    }

    private void blocked(Candidate c) {
        blocked.add(c);
        if (blocked.size() > 64) {
            blocked.sort((x, y) -> Candidate.byBenefit(x, y, placement));
            blocked.subList(8, blocked.size()).clear();
        }
    }

    private int[] sourcesByLoad(Mode mode) {
        List<Integer> hosts = new ArrayList<>();
        for (int h = 0; h < placement.hostCount(); h++) {
            if (!placement.balanced(h) || hostVms.count(h) == 0) {
                continue;
            }
            if (mode == Mode.OVERLOAD && placement.load(h) <= policy.highWatermark() + 1e-12) {
                continue;
            }
            hosts.add(h);
        }
        hosts.sort((x, y) -> {
            int c = Double.compare(placement.load(y), placement.load(x));
            return c != 0 ? c : Integer.compare(x, y);
        });
        return hosts.stream().mapToInt(Integer::intValue).toArray();
    }
}
