package io.memdrs.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The working state of one decision round: placement, constraints, the moves so far and the notes. */
final class Round {
    final Snapshot snapshot;
    final Policy policy;
    final Instant now;
    final Placement placement;
    final MoveRules rules;
    final double imbalanceAtStart;
    final List<Recommendation> recommendations = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<RejectedAlternative> rejected = new ArrayList<>();
    /** Set when a mandatory move was needed and could not be made. */
    boolean mandatoryPending;
    /** Set when moves would help but constraints or caps stopped them. */
    boolean constrained;

    Round(Snapshot snapshot, Policy policy, Instant now) {
        this.snapshot = snapshot;
        this.policy = policy;
        this.now = now;
        this.placement = Placement.of(snapshot);
        this.rules = MoveRules.of(placement, policy, now);
        this.imbalanceAtStart = placement.imbalance();
        notes.addAll(placement.notes());
        notes.addAll(rules.notes());
    }

    /** Seconds the trigger of a host overload has held, from the caller's history. */
    long hostOverloadSeconds(int h) {
        Instant since = snapshot.triggers().hostAboveWatermarkSince().get(placement.host(h).name());
        return since == null ? 0 : Math.max(0, Duration.between(since, now).getSeconds());
    }

    /** Seconds the imbalance trigger has held, from the caller's history. */
    long imbalanceSeconds() {
        return snapshot.triggers().imbalanceAboveTargetSince()
                .map(since -> Math.max(0, Duration.between(since, now).getSeconds())).orElse(0L);
    }

    /**
     * Applies the move and records it as the next recommendation.
     *
     * @param why the first part of the explanation: why this VM and this target
     */
    Recommendation recommend(int v, int target, MoveReason reason, TriggerEvidence trigger,
            List<RejectedAlternative> alternatives, String why) {
        Vm vm = placement.vm(v);
        int source = placement.hostOf(v);
        double sourceBefore = placement.load(source);
        double targetBefore = placement.load(target);
        double sigmaBefore = placement.imbalance();
        double goodness = placement.goodness(v, target);
        rules.apply(v, target);
        double sourceAfter = placement.load(source);
        double targetAfter = placement.load(target);
        double sigmaAfter = placement.imbalance();
        String src = placement.host(source).name();
        String dst = placement.host(target).name();
        String explanation = why + ": " + src + " " + Fmt.pct(sourceBefore) + " → " + Fmt.pct(sourceAfter) + ", "
                + dst + " " + Fmt.pct(targetBefore) + " → " + Fmt.pct(targetAfter) + ", imbalance "
                + Fmt.sigma(sigmaBefore) + " → " + Fmt.sigma(sigmaAfter) + " (target "
                + Fmt.sigma(policy.targetImbalance()) + "); moves " + Fmt.gib(vm.demandKiB()) + " of demand, copies "
                + Fmt.gib(vm.sizeKiB());
        Recommendation rec = new Recommendation(recommendations.size() + 1, vm.uuid(), vm.name(), src, dst,
                DrsEngine.priorityFor(reason, goodness), reason, vm.demandKiB(), vm.sizeKiB(), vm.confidence(),
                sourceBefore, sourceAfter, targetBefore, targetAfter, sigmaBefore, sigmaAfter, goodness, trigger,
                alternatives, explanation, policy.version(), now.plus(policy.recommendationLifetime()));
        recommendations.add(rec);
        return rec;
    }
}
