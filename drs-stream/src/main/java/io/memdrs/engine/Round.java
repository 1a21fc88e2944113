package io.memdrs.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The working state of one decision round: placement, constraints, the planned moves so far and the notes. */
final class Round {
    final Snapshot snapshot;
    final Policy policy;
    final Instant now;
    final Placement placement;
    final MoveRules rules;
    final double imbalanceAtStart;
    /** The whole plan so far, in the order it was made (applied to {@link #placement}). */
    final List<PlannedMove> moves = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<RejectedAlternative> rejected = new ArrayList<>();
    /** Set when a mandatory move was needed and could not be made. */
    boolean mandatoryPending;
    /** Set when moves would help but constraints or caps stopped them. */
    boolean constrained;
    private int nextUnit;

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
     * Applies the move and adds it to the plan as a unit of its own.
     *
     * @param why the first part of the explanation: why this VM and this target
     */
    void recommend(int v, int target, MoveReason reason, TriggerEvidence trigger,
            List<RejectedAlternative> alternatives, String why) {
        recommend(v, target, reason, trigger, alternatives, why, nextUnit++);
    }

    /** A unit number for moves that must go together ({@link PlannedMove#unit()}). */
    int newUnit() {
        return nextUnit++;
    }

    /** Applies the move and adds it to the plan in the given unit. */
    void recommend(int v, int target, MoveReason reason, TriggerEvidence trigger,
            List<RejectedAlternative> alternatives, String why, int unit) {
        int source = placement.hostOf(v);
        rules.apply(v, target);
        moves.add(new PlannedMove(v, source, target, reason, trigger, alternatives, why, unit));
    }

    /** Takes back the plan's moves from index {@code from} on, last first. */
    void undoFrom(int from) {
        for (int i = moves.size() - 1; i >= from; i--) {
            PlannedMove m = moves.remove(i);
            rules.undo(m.vm(), m.source());
        }
    }
}
