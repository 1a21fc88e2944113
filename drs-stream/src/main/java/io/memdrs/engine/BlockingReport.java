package io.memdrs.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What keeps the imbalance up after the whole plan: for each host still well above the mean load (by more than the
 * stop band), why none of its
 * VMs goes anywhere, by binding constraint, and the smallest change that would let one go ("28.0 GiB more headroom
 * on one host"). Also, for a host in maintenance that cannot be emptied, how much headroom its largest staying VM
 * needs. Runs on the placement after the plan; adds notes only.
 */
final class BlockingReport {
    private static final int MAX_HOSTS = 5;

    private final Round round;
    private final Placement placement;
    private final MoveRules rules;
    private final Policy policy;

    BlockingReport(Round round) {
        this.round = round;
        this.placement = round.placement;
        this.rules = round.rules;
        this.policy = round.policy;
    }

    /** Adds the notes when σ after the plan stays above the target (balancing was wanted) or an evacuation stays. */
    void addNotes(boolean balancingWanted) {
        if (balancingWanted && placement.imbalance() > policy.targetImbalance() && placement.balancedHostCount() >= 2) {
            hotHosts();
        }
        for (int h = 0; h < placement.hostCount(); h++) {
            Host host = placement.host(h);
            if (host.maintenance() && host.state() == HostState.ACTIVE) {
                stuckEvacuation(h);
            }
        }
    }

    private void hotHosts() {
        double mean = placement.meanLoad();
        List<Integer> hot = new ArrayList<>();
        for (int h = 0; h < placement.hostCount(); h++) {
            if (placement.balanced(h) && placement.load(h) - mean > policy.stopImbalance()) {
                hot.add(h);
            }
        }
        hot.sort((a, b) -> Double.compare(placement.load(b), placement.load(a)));
        for (int h : hot.subList(0, Math.min(MAX_HOSTS, hot.size()))) {
            Map<RejectionKind, Integer> kinds = new EnumMap<>(RejectionKind.class);
            long smallestTooLarge = Long.MAX_VALUE;
            int tooLarge = 0;
            int vms = 0;
            for (int v : placement.vmsOn(h)) {
                vms++;
                Rejection vmNo = rules.checkVm(v, false);
                if (vmNo != null) {
                    kinds.merge(vmNo.kind(), 1, Integer::sum);
                    continue;
                }
                RejectionKind binding = null;
                for (int t = 0; t < placement.hostCount(); t++) {
                    if (t == h || !placement.balanced(t) || placement.load(t) >= placement.load(h)) {
                        continue;
                    }
                    Rejection no = rules.checkTarget(v, t, false);
                    RejectionKind kind = no == null ? RejectionKind.BELOW_MIN_GOODNESS : no.kind();
                    if (binding == null || rank(kind) < rank(binding)) {
                        binding = kind;
                    }
                }
                if (binding == null) {
                    binding = RejectionKind.TARGET_NOT_ELIGIBLE;
                }
                kinds.merge(binding, 1, Integer::sum);
                if (binding == RejectionKind.WATERMARK) {
                    tooLarge++;
                    smallestTooLarge = Math.min(smallestTooLarge, placement.vm(v).demandKiB());
                }
            }
            List<String> parts = new ArrayList<>();
            kinds.forEach((kind, n) -> parts.add(n + " " + describe(kind)));
            StringBuilder note = new StringBuilder("imbalance stays at " + Fmt.sigma(placement.imbalance())
                    + " above the target " + Fmt.sigma(policy.targetImbalance()) + ": " + placement.host(h).name()
                    + " (" + Fmt.pct(placement.load(h)) + ", mean " + Fmt.pct(mean) + ") keeps its " + vms + " VMs: "
                    + String.join(", ", parts));
            if (tooLarge > 0 && smallestTooLarge > headroomBelow(h)) {
                int best = mostHeadroom(h, placement.load(h));
                long headroom = best < 0 ? 0 : headroomKiB(best);
                note.append("; the smallest of the ").append(tooLarge).append(" that fit nowhere needs ")
                        .append(Fmt.gib(smallestTooLarge)).append(" and the most headroom below the watermark is ")
                        .append(Fmt.gib(Math.max(0, headroom))).append(best < 0 ? "" : " on " + placement.host(best).name())
                        .append(": ").append(Fmt.gib(smallestTooLarge - Math.max(0, headroom)))
                        .append(" more headroom on one host would let it go");
            }
            round.notes.add(note.toString());
        }
    }

    private void stuckEvacuation(int h) {
        int[] staying = placement.vmsOn(h);
        if (staying.length == 0) {
            return;
        }
        long largest = 0;
        long total = 0;
        for (int v : staying) {
            largest = Math.max(largest, placement.vm(v).demandKiB());
            total += placement.vm(v).demandKiB();
        }
        int best = mostHeadroom(h, Double.POSITIVE_INFINITY);
        long headroom = best < 0 ? 0 : Math.max(0, headroomKiB(best));
        round.notes.add("evacuation of " + placement.host(h).name() + " cannot finish in this plan: " + staying.length
                + " VMs stay (" + Fmt.gib(total) + " of demand, the largest " + Fmt.gib(largest) + "); the most "
                + "headroom below the watermark is " + Fmt.gib(headroom) + (best < 0 ? "" : " on "
                + placement.host(best).name()) + (largest > headroom ? ": " + Fmt.gib(largest - headroom)
                + " more on one host would take the largest" : "; what stops them is in the notes above"));
    }

    /** The balanced host other than {@code h}, loaded less than {@code below}, with the most room below the watermark. */
    private int mostHeadroom(int h, double below) {
        int best = -1;
        for (int t = 0; t < placement.hostCount(); t++) {
            if (t != h && placement.balanced(t) && placement.load(t) < below
                    && (best < 0 || headroomKiB(t) > headroomKiB(best))) {
                best = t;
            }
        }
        return best;
    }

    /** The most headroom of a host loaded less than {@code h}, KiB (0 when there is none). */
    private long headroomBelow(int h) {
        int best = mostHeadroom(h, placement.load(h));
        return best < 0 ? 0 : Math.max(0, headroomKiB(best));
    }

    private long headroomKiB(int t) {
        return (long) Math.floor(policy.highWatermark() * placement.capacityKiB(t)) - placement.demandKiB(t);
    }

    /** Which constraint binds a VM when several targets refuse it for different reasons: the least final first. */
    private static int rank(RejectionKind kind) {
        switch (kind) {
            case BELOW_MIN_GOODNESS:
                return 0;
            case SHOULD_RULE:
                return 1;
            case NO_RETURN:
                return 2;
            case WATERMARK:
                return 3;
            case MUST_RULE:
                return 4;
            default:
                return 5;
        }
    }

    private static String describe(RejectionKind kind) {
        switch (kind) {
            case NOT_MOVABLE:
                return "marked do-not-move";
            case LOW_CONFIDENCE:
                return "with untrusted statistics";
            case COOLDOWN:
                return "in cooldown";
            case ALREADY_MOVING:
                return "already moving in the plan";
            case SOURCE_UNKNOWN:
                return "on a host not heard from";
            case WATERMARK:
                return "larger than any target's headroom below the watermark";
            case MUST_RULE:
                return "bound by a must rule";
            case SHOULD_RULE:
                return "held by a should rule";
            case NO_RETURN:
                return "that would return to a host they left";
            case BELOW_MIN_GOODNESS:
                return "whose best move gains less than MinGoodness";
            default:
                return "with no eligible target";
        }
    }
}
