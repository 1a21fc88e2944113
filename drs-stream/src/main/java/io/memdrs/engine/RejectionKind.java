package io.memdrs.engine;

/** Why a candidate move is not allowed (or not chosen). */
public enum RejectionKind {
    /** The VM is marked do-not-move. */
    NOT_MOVABLE,
    /** The VM's demand is a conservative bound: it is not moved for balance. */
    LOW_CONFIDENCE,
    /** The VM moved recently. */
    COOLDOWN,
    /** The VM already moves in this round. */
    ALREADY_MOVING,
    /** The VM's host is not heard from: its VMs are not moved. */
    SOURCE_UNKNOWN,
    /** The target is the source, in maintenance, unknown or without capacity. */
    TARGET_NOT_ELIGIBLE,
    /** The target would end above the high watermark. */
    WATERMARK,
    /** The move breaks a must rule. */
    MUST_RULE,
    /** The move breaks a should rule (balance moves never do). */
    SHOULD_RULE,
    /** The VM dirties memory faster than a migration to the target copies it: it would not converge. */
    WONT_CONVERGE,
    /** A migration into the target failed within the failed-target penalty. */
    RECENT_FAILURE,
    /** The VM would return to the host it left within the no-return window. */
    NO_RETURN,
    /** The round's move cap is reached. */
    ROUND_CAP,
    /** The target's inflow cap for this round is reached. */
    INFLOW_CAP,
    /** The source's outflow cap for this round is reached. */
    OUTFLOW_CAP,
    /** Allowed, but less benefit per byte than the chosen move. */
    LESS_BENEFIT,
    /** Allowed, but the improvement is below MinGoodness. */
    BELOW_MIN_GOODNESS
}
