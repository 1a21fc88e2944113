package io.memdrs.engine;

import io.memdrs.engine.migrations.CostPrediction;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recommended live migration with everything needed to judge it: the fields of the
 * {@code MigrationRecommendation} record except the id, which the caller builds with {@link #id(String, long, int)}
 * from the cluster, its round number and {@link #sequence()}.
 *
 * @param sequence order within the round, from 1: execute in this order
 * @param vmUuid the VM to migrate
 * @param vmName its name
 * @param source the host it runs on
 * @param target the host to migrate it to
 * @param priority 1 (mandatory) to 5 (small gain), see {@link DrsEngine#priorityFor}
 * @param reason why
 * @param demandKiB demand that moves with it, KiB
 * @param sizeKiB its size: what the migration copies at least, KiB
 * @param confidence whether its demand is trusted
 * @param sourceLoadBefore load of the source before this move (after the earlier moves of the round), a fraction
 * @param sourceLoadAfter load of the source after this move
 * @param targetLoadBefore load of the target before this move
 * @param targetLoadAfter load of the target after this move
 * @param imbalanceBefore cluster σ before this move
 * @param imbalanceAfter cluster σ after this move
 * @param goodness reduction of hosts × σ² by this move (negative when a mandatory move worsens the balance)
 * @param trigger what made the round act
 * @param rejectedAlternatives up to 3 best alternatives not chosen, with the reason
 * @param explanation one line with the numbers: why this VM, why this target, what it achieves
 * @param policyVersion version of the policy that produced it
 * @param expiresAt after this instant it must not be executed
 * @param cost what the migration is predicted to cost, calibrated by the cluster's earlier migrations
 */
public record Recommendation(int sequence, String vmUuid, String vmName, String source, String target, int priority,
        MoveReason reason, long demandKiB, long sizeKiB, Confidence confidence, double sourceLoadBefore,
        double sourceLoadAfter, double targetLoadBefore, double targetLoadAfter, double imbalanceBefore,
        double imbalanceAfter, double goodness, TriggerEvidence trigger, List<RejectedAlternative> rejectedAlternatives,
        String explanation, String policyVersion, Instant expiresAt, CostPrediction cost) {

    public Recommendation {
        Objects.requireNonNull(vmUuid, "vmUuid");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(cost, "cost");
        rejectedAlternatives = List.copyOf(rejectedAlternatives);
    }

    /** The deterministic recommendation id {@code <cluster>:<round>:<sequence>}. */
    public static String id(String cluster, long round, int sequence) {
        return cluster + ":" + round + ":" + sequence;
    }

    /** True for maintenance evacuations and must-rule corrections. */
    public boolean mandatory() {
        return reason == MoveReason.MAINTENANCE_EVACUATION || reason == MoveReason.RULE_VIOLATION;
    }
}
