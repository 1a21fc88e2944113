package io.memdrs.engine;

import java.util.List;

/**
 * One move of a round's whole plan, before it is scheduled into a wave and written as a {@link Recommendation}.
 *
 * @param vm VM index
 * @param source host index the VM leaves
 * @param target host index it goes to
 * @param reason why
 * @param trigger what made the round act
 * @param alternatives up to 3 alternatives not chosen
 * @param why the first part of the explanation: why this VM and this target
 * @param unit moves with the same unit go together, in one wave (a must affinity group); otherwise unique
 */
record PlannedMove(int vm, int source, int target, MoveReason reason, TriggerEvidence trigger,
        List<RejectedAlternative> alternatives, String why, int unit) {

    boolean mandatory() {
        return reason == MoveReason.MAINTENANCE_EVACUATION || reason == MoveReason.RULE_VIOLATION;
    }
}
