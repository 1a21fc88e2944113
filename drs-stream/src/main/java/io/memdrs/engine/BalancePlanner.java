package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The greedy part of a round (levels 2 to 5): first relieve hosts above the high watermark, then, when the imbalance
 * is above the level's target, apply the move with the best benefit per byte until the imbalance is at the stop
 * band, no allowed move reaches MinGoodness, or a cap is reached.
 *
 * <p>Benefit of a balance move: the drop of σ, counted down to the stop band only, so that among moves that all
 * finish the job the cheapest wins. Benefit of an overload move: the overload it removes from the source plus that
 * drop. Cost: the VM's size plus the policy's per-move overhead. Each step takes, among the allowed moves within
 * {@link Policy#goodnessTolerance()} of the best benefit, the one with the most benefit per byte
 * ({@link CandidateSearch}).
 */
final class BalancePlanner {
    private final Round round;
    private final Placement placement;
    private final MoveRules rules;
    private final Policy policy;
    private final CapacityGroups groups;
    private final HostVms hostVms;
    private final CandidateSearch search;
    private final double[] loadAtStart;
    /** Set when balancing could not run for lack of hosts or trusted data. */
    boolean insufficientData;
    /** Set when the balance search found nothing allowed that reaches MinGoodness and nothing blocked. */
    boolean noImprovingMove;
    /** Set when it balanced: σ above the level's target with enough trusted demand (not only overload relief). */
    boolean balancing;
    private final Variant variant;
    private final long evaluationLimit;
    private final GroupMoves groupMoves;

    /**
     * How a balance search chooses its moves.
     *
     * @param name what the plan search calls it in notes
     * @param goodnessTolerance as {@link Policy#goodnessTolerance()}: 0 takes the largest drop of σ, 1 the most per byte
     * @param creditToBand count a move's drop of σ only down to the stop band (else all of it)
     * @param relieveOverloadFirst relieve hosts above the high watermark before balancing
     * @param choice how an explanation says why this move was chosen
     * @param moveGroups also move must affinity groups as one unit ({@link GroupMoves})
     */
    record Variant(String name, double goodnessTolerance, boolean creditToBand, boolean relieveOverloadFirst,
            String choice, boolean moveGroups) {
    }

    /** The policy's own search: cost-aware, overloads first. */
    static Variant policyVariant(Policy policy) {
        return new Variant("cost-aware greedy", policy.goodnessTolerance(), true, true, "the best benefit per byte",
                true);
    }

    /**
     * A balance search of the given variant; it stops early once it has scored more than {@code evaluationLimit}
     * VMs and targets (its share of the round's exploration budget).
     */
    BalancePlanner(Round round, Variant variant, long evaluationLimit) {
        this.evaluationLimit = evaluationLimit;
        this.round = round;
        this.placement = round.placement;
        this.rules = round.rules;
        this.policy = round.policy;
        this.variant = variant;
        this.groups = new CapacityGroups(placement);
        this.hostVms = new HostVms(placement);
        this.search = new CandidateSearch(placement, rules,
                policy.toBuilder().goodnessTolerance(variant.goodnessTolerance()).build(), groups, hostVms);
        GroupMoves affinity = variant.moveGroups() ? new GroupMoves(placement, rules, policy, groups) : null;
        this.groupMoves = affinity == null || affinity.isEmpty() ? null : affinity;
        this.loadAtStart = new double[placement.hostCount()];
        for (int h = 0; h < loadAtStart.length; h++) {
            loadAtStart[h] = placement.load(h);
        }
    }

    void run() {
        List<String> overloaded = overloadedHosts();
        if (policy.migrationThreshold() == 1) {
            if (!overloaded.isEmpty()) {
                round.notes.add("above the high watermark " + Fmt.pct(policy.highWatermark()) + ": "
                        + String.join(", ", overloaded) + "; level 1 makes mandatory moves only");
            }
            return;
        }
        if (placement.balancedHostCount() < 2) {
            round.notes.add("balancing needs 2 or more active hosts outside maintenance; there are "
                    + placement.balancedHostCount());
            insufficientData = true;
            return;
        }
        double trusted = trustedFraction();
        boolean trustOk = trusted >= policy.minTrustedDemandFraction();
        double target = policy.targetImbalance();
        double sigma = placement.imbalance();
        if (!trustOk && sigma > target) {
            round.notes.add("only " + Fmt.pct(trusted) + " of the demand comes from trusted statistics (balancing needs "
                    + Fmt.pct(policy.minTrustedDemandFraction()) + "): no balance moves");
            insufficientData = true;
        }
        boolean triggered = trustOk && sigma > target;
        balancing = triggered;
        TriggerEvidence imbalanceTrigger = new TriggerEvidence("imbalance", sigma, target, round.imbalanceSeconds());
        boolean overloadExhausted = !variant.relieveOverloadFirst();
        while (true) {
            if (search.evaluations() > evaluationLimit) {
                return;
            }
            int hot = overloadExhausted ? -1 : hottestOverloaded();
            boolean balancing = triggered && placement.imbalance() > policy.stopImbalance();
            if (hot < 0 && !balancing) {
                return;
            }
            if (rules.planFull()) {
                round.notes.add("the plan's limit of " + policy.maxPlanMoves() + " moves is reached with imbalance "
                        + Fmt.sigma(placement.imbalance()) + (hot >= 0 ? " and " + placement.host(hot).name()
                        + " above the high watermark" : "") + "; the next round continues");
                round.constrained = true;
                return;
            }
            CandidateSearch.Mode mode = hot >= 0 ? CandidateSearch.Mode.OVERLOAD : CandidateSearch.Mode.BALANCE;
            double floor = variant.creditToBand() ? policy.stopImbalance() : 0.0;
            CandidateSearch.Result step = search.run(mode, floor);
            GroupMoves.Choice group = groupMoves == null ? null : groupMoves.best(mode, floor);
            if (group != null && (step.best() == null || prefer(group, step.best()))) {
                applyGroup(group, mode, imbalanceTrigger, step.consideredVms());
                continue;
            }
            if (step.best() == null) {
                if (mode == CandidateSearch.Mode.OVERLOAD) {
                    round.notes.add("no allowed move relieves " + String.join(", ", overloadedHosts())
                            + " above the high watermark" + firstReason(step));
                    round.constrained = true;
                    overloadExhausted = true;
                    continue;
                }
                finish(step);
                return;
            }
            apply(step, mode, imbalanceTrigger);
        }
    }

    private void apply(CandidateSearch.Result step, CandidateSearch.Mode mode, TriggerEvidence imbalanceTrigger) {
        Candidate best = step.best();
        int v = best.vm();
        int source = placement.hostOf(v);
        Vm vm = placement.vm(v);
        List<RejectedAlternative> alternatives = new ArrayList<>();
        for (Candidate c : step.blocked()) {
            if (alternatives.size() < 3) {
                alternatives.add(alternative(c, c.rejection().kind(), c.rejection().reason()));
            }
        }
        for (Candidate c : step.runnersUp()) {
            if (alternatives.size() < 3) {
                alternatives.add(alternative(c, RejectionKind.LESS_BENEFIT, "less benefit per byte ("
                        + Fmt.perGib(c.score()) + " vs " + Fmt.perGib(best.score()) + ")"));
            }
        }
        String src = placement.host(source).name();
        String dst = placement.host(best.target()).name();
        MoveReason reason;
        TriggerEvidence trigger;
        String why;
        if (mode == CandidateSearch.Mode.OVERLOAD) {
            reason = MoveReason.OVERLOAD;
            trigger = new TriggerEvidence("host_load", loadAtStart[source], policy.highWatermark(),
                    round.hostOverloadSeconds(source));
            why = "Relieve " + src + ", above the high watermark " + Fmt.pct(policy.highWatermark()) + ": move "
                    + vm.name() + " to " + dst + ", the best benefit per byte among " + step.consideredVms()
                    + " candidate VMs";
        } else {
            reason = MoveReason.BALANCE;
            trigger = imbalanceTrigger;
            why = "Move " + vm.name() + " from " + src + " to " + dst + " to lower the imbalance, " + variant.choice()
                    + " (" + Fmt.perGib(best.score()) + ") among " + step.consideredVms() + " candidate VMs";
        }
        round.recommend(v, best.target(), reason, trigger, alternatives, why);
        hostVms.moved(v, source, best.target());
        groups.update(source);
        groups.update(best.target());
    }

    /** The group move over the single one when only it is within the tolerance of the best benefit, or scores more. */
    private boolean prefer(GroupMoves.Choice group, Candidate single) {
        double keep = 1.0 - variant.goodnessTolerance();
        double max = Math.max(group.benefit(), single.benefit());
        boolean groupQualifies = group.benefit() >= keep * max;
        boolean singleQualifies = single.benefit() >= keep * max;
        if (groupQualifies != singleQualifies) {
            return groupQualifies;
        }
        return group.score() > single.score();
    }

    private void applyGroup(GroupMoves.Choice choice, CandidateSearch.Mode mode, TriggerEvidence imbalanceTrigger,
            int consideredVms) {
        AffinityGroup g = choice.group();
        int source = choice.source();
        int target = choice.target();
        RuleBook book = rules.rules();
        List<Integer> members = new ArrayList<>(g.vms());
        members.sort((x, y) -> Long.compare(placement.vm(y).demandKiB(), placement.vm(x).demandKiB()));
        List<String> ruleIds = g.rules().stream().mapToObj(r -> book.rule(r).id()).toList();
        String src = placement.host(source).name();
        String dst = placement.host(target).name();
        MoveReason reason = mode == CandidateSearch.Mode.OVERLOAD ? MoveReason.OVERLOAD : MoveReason.BALANCE;
        TriggerEvidence trigger = mode == CandidateSearch.Mode.OVERLOAD ? new TriggerEvidence("host_load",
                loadAtStart[source], policy.highWatermark(), round.hostOverloadSeconds(source)) : imbalanceTrigger;
        int unit = round.newUnit();
        for (int v : members) {
            StringBuilder others = new StringBuilder();
            for (int o : members) {
                if (o != v) {
                    others.append(others.length() == 0 ? "" : ", ").append(placement.vm(o).name());
                }
            }
            String why = (mode == CandidateSearch.Mode.OVERLOAD ? "Relieve " + src + ", above the high watermark "
                    + Fmt.pct(policy.highWatermark()) + ": move " : "Move ") + placement.vm(v).name() + " from " + src
                    + " to " + dst + " together with " + others + " (must affinity " + String.join(", ", ruleIds)
                    + ": the group moves as one unit, " + Fmt.gib(g.demandKiB(placement)) + " of demand), "
                    + variant.choice() + " (" + Fmt.perGib(choice.score()) + ") among " + consideredVms
                    + " candidate VMs and the groups";
            round.recommend(v, target, reason, trigger, List.of(), why, unit);
            hostVms.moved(v, source, target);
        }
        groups.update(source);
        groups.update(target);
    }

    private void finish(CandidateSearch.Result step) {
        for (Candidate c : step.blocked()) {
            round.rejected.add(alternative(c, c.rejection().kind(), c.rejection().reason()));
        }
        Candidate low = step.belowMinGoodness();
        if (low != null) {
            round.rejected.add(alternative(low, RejectionKind.BELOW_MIN_GOODNESS, "improves hosts×σ² by only "
                    + Fmt.goodness(low.goodness()) + " < MinGoodness " + Fmt.goodness(policy.minGoodness())));
        }
        if (!step.blocked().isEmpty()) {
            round.constrained = true;
        } else {
            noImprovingMove = true;
        }
    }

    /** VMs scored by this search. */
    long evaluations() {
        return search.evaluations();
    }

    private RejectedAlternative alternative(Candidate c, RejectionKind kind, String reason) {
        Vm vm = placement.vm(c.vm());
        String target = kind == RejectionKind.NOT_MOVABLE || kind == RejectionKind.LOW_CONFIDENCE
                || kind == RejectionKind.COOLDOWN || kind == RejectionKind.SOURCE_UNKNOWN
                || kind == RejectionKind.ALREADY_MOVING ? null : placement.host(c.target()).name();
        return new RejectedAlternative(vm.uuid(), vm.name(), target, kind, reason);
    }

    private static String firstReason(CandidateSearch.Result step) {
        return step.blocked().isEmpty() ? "" : " (best blocked: " + step.blocked().get(0).rejection().reason() + ")";
    }

    private int hottestOverloaded() {
        int hot = -1;
        for (int h = 0; h < placement.hostCount(); h++) {
            if (placement.balanced(h) && hostVms.count(h) > 0
                    && placement.load(h) > policy.highWatermark() + 1e-12
                    && (hot < 0 || placement.load(h) > placement.load(hot))) {
                hot = h;
            }
        }
        return hot;
    }

    private List<String> overloadedHosts() {
        List<String> names = new ArrayList<>();
        for (int h = 0; h < placement.hostCount(); h++) {
            if (placement.balanced(h) && placement.load(h) > policy.highWatermark() + 1e-12) {
                names.add(placement.host(h).name() + " (" + Fmt.pct(placement.load(h)) + ")");
            }
        }
        return names;
    }

    private double trustedFraction() {
        long total = 0;
        long trusted = 0;
        for (int v = 0; v < placement.vmCount(); v++) {
            if (placement.balanced(placement.hostOf(v))) {
                long d = placement.vm(v).demandKiB();
                total += d;
                if (placement.vm(v).confidence() == Confidence.HIGH) {
                    trusted += d;
                }
            }
        }
        return total == 0 ? 1.0 : (double) trusted / total;
    }
}
