package io.memdrs.engine;

import io.memdrs.engine.migrations.CostPrediction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The hard constraints of a round over a {@link Placement}, and the counters they depend on. Apply moves through
 * {@link #apply} so that rule counts and caps follow.
 *
 * <p>For every move: the VM is movable (not do-not-move), its host is heard from, it does not move twice in a
 * round; the target is balanced (active, not in maintenance, with capacity) and not the source; the target stays at
 * or below the high watermark; no must rule is broken; the plan holds at most {@link Policy#maxPlanMoves()} moves (the
 * per-round concurrency caps are the wave scheduler's).
 * Balance moves also need: HIGH confidence, no move within the cooldown, no return to the host the VM left within the
 * no-return window, no should rule broken, a target into which no migration failed within the failed-target
 * penalty, and a dirty rate below the bandwidth predicted for the move (else it would not converge). Mandatory moves (maintenance evacuation, must-rule corrections) are
 * exempt from those six, because correctness comes before stability; but a mandatory move is not retried into the
 * target where that same VM's migration failed within the penalty (another target may take it).
 */
public final class MoveRules {
    private static final double EPSILON = 1e-12;

    private final Placement placement;
    private final RuleBook rules;
    private final Policy policy;
    private final Instant now;
    private final boolean[] moved;
    private final Rejection[] balanceBlock;
    private final java.util.Map<String, CostPrediction> pairCosts = new java.util.HashMap<>();
    private int moves;

    private MoveRules(Placement placement, RuleBook rules, Policy policy, Instant now) {
        this.placement = placement;
        this.rules = rules;
        this.policy = policy;
        this.now = now;
        this.moved = new boolean[placement.vmCount()];
        this.balanceBlock = new Rejection[placement.vmCount()];
        for (int v = 0; v < placement.vmCount(); v++) {
            balanceBlock[v] = vmBlock(v, false);
        }
    }

    /** Constraints over the placement, with the rules of its snapshot, for a round running at {@code now}. */
    public static MoveRules of(Placement placement, Policy policy, Instant now) {
        return new MoveRules(placement, new RuleBook(placement, placement.snapshot().rules()), policy, now);
    }

    Placement placement() {
        return placement;
    }

    RuleBook rules() {
        return rules;
    }

    Policy policy() {
        return policy;
    }

    /** What the rules left out of the snapshot (unknown VMs or hosts they name). */
    public List<String> notes() {
        return rules.notes();
    }

    /** Moves applied so far. */
    public int moveCount() {
        return moves;
    }

    /** True when the plan holds {@link Policy#maxPlanMoves()} moves. */
    public boolean planFull() {
        return moves >= policy.maxPlanMoves();
    }

    /** True when the VM was moved by {@link #apply} in this round. */
    public boolean movedThisRound(int v) {
        return moved[v];
    }

    /** Why the VM may not move at all (ignoring targets and caps), or null. */
    public Rejection checkVm(int v, boolean mandatory) {
        if (moved[v]) {
            return new Rejection(RejectionKind.ALREADY_MOVING, "already moves in this round");
        }
        return mandatory ? vmBlock(v, true) : balanceBlock[v];
    }

    /** True when {@link #checkVm}{@code (v, false)} is not null; O(1). */
    boolean blockedForBalance(int v) {
        return moved[v] || balanceBlock[v] != null;
    }

    /** Why the move is not allowed (VM, caps and target), or null when it is. */
    public Rejection check(int v, int target, boolean mandatory) {
        Rejection r = checkVm(v, mandatory);
        if (r == null) {
            r = checkCaps(v, target);
        }
        if (r == null) {
            r = checkTarget(v, target, mandatory);
        }
        return r;
    }

    /**
     * Why the plan's length limit stops one more move, or null. The per-round concurrency caps (moves per round, per-host
     * inflow and outflow) do not bind the plan: the wave scheduler honours them when it orders the plan into waves.
     */
    public Rejection checkCaps(int v, int target) {
        return planFull(1);
    }

    /** Why the plan's length limit stops {@code count} VMs moving together from source to target, or null. */
    public Rejection checkGroupCaps(int source, int target, int count) {
        return planFull(count);
    }

    private Rejection planFull(int count) {
        if (moves + count > policy.maxPlanMoves()) {
            return new Rejection(RejectionKind.ROUND_CAP, "the plan's limit of " + policy.maxPlanMoves()
                    + " moves is reached (" + moves + " planned)");
        }
        return null;
    }

    /** Why the target is not allowed for this VM (eligibility, watermark, rules, no-return), or null. */
    public Rejection checkTarget(int v, int target, boolean mandatory) {
        return checkTarget(v, target, mandatory, RuleBook.NONE, placement.vm(v).demandKiB());
    }

    /**
     * Like {@link #checkTarget(int, int, boolean)} for a VM that moves with others: the rules in {@code exempt} (the
     * must affinities that bind them) are left out, and the watermark is checked with {@code arrivingKiB}, the demand
     * of all of them.
     */
    Rejection checkTarget(int v, int target, boolean mandatory, java.util.BitSet exempt, long arrivingKiB) {
        int source = placement.hostOf(v);
        Host t = placement.host(target);
        if (target == source) {
            return new Rejection(RejectionKind.TARGET_NOT_ELIGIBLE, "it already runs on " + t.name());
        }
        if (!placement.balanced(target)) {
            String why = t.maintenance() ? "is in maintenance"
                    : t.state() == HostState.UNKNOWN ? "is not heard from (UNKNOWN)" : "has no capacity";
            return new Rejection(RejectionKind.TARGET_NOT_ELIGIBLE, t.name() + " " + why);
        }
        double after = placement.loadWith(target, arrivingKiB);
        if (after > policy.highWatermark() + EPSILON) {
            return Rejection.lazy(RejectionKind.WATERMARK, () -> t.name() + " would reach " + Fmt.pct(after)
                    + " > high watermark " + Fmt.pct(policy.highWatermark()));
        }
        int broken = rules.firstBroken(v, target, true, exempt);
        if (broken >= 0) {
            return Rejection.lazy(RejectionKind.MUST_RULE, () -> rules.describeBreak(broken, v, target));
        }
        if (mandatory) {
            Rejection failed = recentFailureOf(placement.vm(v), t);
            if (failed != null) {
                return failed;
            }
        } else {
            Rejection failed = recentFailure(t);
            if (failed != null) {
                return failed;
            }
            Rejection converge = convergence(placement.vm(v), placement.host(source), t);
            if (converge != null) {
                return converge;
            }
            VmHistory h = placement.snapshot().history().get(placement.vm(v).uuid());
            Instant left = h == null ? null : h.leftAt(t.name());
            if (left != null) {
                Duration ago = Duration.between(left, now);
                if (ago.compareTo(policy.noReturnWindow()) < 0) {
                    return new Rejection(RejectionKind.NO_RETURN, "would return to " + t.name() + ", which it left "
                            + Fmt.duration(ago) + " ago (no-return window "
                            + Fmt.duration(policy.noReturnWindow()) + ")");
                }
            }
            int soft = rules.firstBroken(v, target, false, exempt);
            if (soft >= 0) {
                return Rejection.lazy(RejectionKind.SHOULD_RULE, () -> rules.describeBreak(soft, v, target));
            }
        }
        return null;
    }

    private Rejection recentFailure(Host t) {
        if (policy.failedTargetPenalty().isZero()) {
            return null;
        }
        return placement.snapshot().migrations().lastFailureInto(t.name(), now.minus(policy.failedTargetPenalty()))
                .map(m -> new Rejection(RejectionKind.RECENT_FAILURE, "a migration into " + t.name() + " failed "
                        + Fmt.duration(Duration.between(m.finishedAt(), now).abs()) + " ago"
                        + (m.error() == null ? "" : " (" + m.error() + ")") + ": no target for balance for "
                        + Fmt.duration(policy.failedTargetPenalty())))
                .orElse(null);
    }

    /**
     * A live migration converges only when it copies faster than the guest dirties memory: a VM whose measured dirty
     * rate reaches the effective bandwidth predicted for the host pair (calibrated by earlier migrations) is not moved
     * for balance. Mandatory moves still go, with auto-converge throttling the guest.
     */
    private Rejection convergence(Vm vm, Host source, Host t) {
        if (vm.dirtyBytesPerSecond() <= 0) {
            return null;
        }
        // The pair's bandwidth does not depend on the VM's size: predicted once per pair for a 1 GiB VM.
        CostPrediction cost = pairCosts.computeIfAbsent(source.name() + '\u0000' + t.name(),
                k -> placement.snapshot().migrations().predict(source.name(), t.name(), 1L << 20,
                        policy.assumedMigrationMiBps()));
        double bandwidth = cost.durationMillis() > 0 ? cost.bytes() * 1000.0 / cost.durationMillis() : Double.MAX_VALUE;
        if (vm.dirtyBytesPerSecond() < bandwidth) {
            return null;
        }
        return Rejection.lazy(RejectionKind.WONT_CONVERGE, () -> String.format(java.util.Locale.ROOT,
                "dirties %.0f MiB/s, as fast as a migration %s→%s copies (%.0f MiB/s, %s): it would not converge; "
                        + "moved only when mandatory, with auto-converge", vm.dirtyBytesPerSecond() / 1048576.0,
                source.name(), t.name(), bandwidth / 1048576.0, cost.basis()));
    }

    /** A mandatory move is not retried blindly: not into the target that failed this very VM within the penalty. */
    private Rejection recentFailureOf(Vm vm, Host t) {
        if (policy.failedTargetPenalty().isZero()) {
            return null;
        }
        return placement.snapshot().migrations().lastFailureOf(vm.uuid(), t.name(),
                        now.minus(policy.failedTargetPenalty()))
                .map(m -> new Rejection(RejectionKind.RECENT_FAILURE, "its migration into " + t.name() + " failed "
                        + Fmt.duration(Duration.between(m.finishedAt(), now).abs()) + " ago"
                        + (m.error() == null ? "" : " (" + m.error() + ")") + ": not tried there again for "
                        + Fmt.duration(policy.failedTargetPenalty())))
                .orElse(null);
    }

    /** Applies the move to the placement and updates rule counts and caps. */
    public void apply(int v, int target) {
        int source = placement.hostOf(v);
        if (source == target) {
            throw new IllegalArgumentException("vm " + placement.vm(v).uuid() + " already runs on the target");
        }
        rules.moved(v, source, target);
        placement.move(v, target);
        moved[v] = true;
        moves++;
    }

    /** Takes back the last {@link #apply} of the VM: it returns to {@code formerHost}. */
    void undo(int v, int formerHost) {
        int now = placement.hostOf(v);
        if (!moved[v] || now == formerHost) {
            throw new IllegalArgumentException("vm " + placement.vm(v).uuid() + " did not move from that host");
        }
        rules.moved(v, now, formerHost);
        placement.move(v, formerHost);
        moved[v] = false;
        moves--;
    }

    private Rejection vmBlock(int v, boolean mandatory) {
        Vm vm = placement.vm(v);
        Host source = placement.host(placement.hostOf(v));
        if (!vm.movable()) {
            return new Rejection(RejectionKind.NOT_MOVABLE, "marked do-not-move");
        }
        if (source.state() == HostState.UNKNOWN) {
            return new Rejection(RejectionKind.SOURCE_UNKNOWN,
                    source.name() + " is not heard from (UNKNOWN): its VMs are not moved");
        }
        if (mandatory) {
            return null;
        }
        if (vm.confidence() != Confidence.HIGH) {
            return new Rejection(RejectionKind.LOW_CONFIDENCE,
                    "demand is a conservative bound (LOW confidence): not moved for balance");
        }
        VmHistory h = placement.snapshot().history().get(vm.uuid());
        if (h != null) {
            Duration ago = Duration.between(h.lastMoveAt(), now);
            if (ago.compareTo(policy.cooldown()) < 0) {
                return new Rejection(RejectionKind.COOLDOWN, "moved " + Fmt.duration(ago) + " ago (cooldown "
                        + Fmt.duration(policy.cooldown()) + ")");
            }
        }
        return null;
    }
}
