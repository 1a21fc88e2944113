package io.memdrs.engine;

/** Why a move is recommended. The first two are mandatory (priority 1). */
public enum MoveReason {
    /** The VM runs on a host in maintenance. */
    MAINTENANCE_EVACUATION,
    /** The VM's placement breaks a must rule. */
    RULE_VIOLATION,
    /** The source host is above the high watermark. */
    OVERLOAD,
    /** The move lowers the cluster imbalance. */
    BALANCE
}
