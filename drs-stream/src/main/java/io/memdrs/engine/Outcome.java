package io.memdrs.engine;

/** What a decision round decided. */
public enum Outcome {
    /** At least one move is recommended. */
    MOVES_RECOMMENDED,
    /** Imbalance at or below the target of the migration-threshold level, nothing mandatory, no host overloaded. */
    BALANCED,
    /** Above target, but no allowed move improves the imbalance by MinGoodness. */
    NO_IMPROVING_MOVE,
    /** Moves would help but each breaks a rule, the high watermark, a cooldown or a cap. */
    CONSTRAINED,
    /** Too few usable hosts, or too little of the demand comes from trusted statistics. */
    INSUFFICIENT_DATA
}
