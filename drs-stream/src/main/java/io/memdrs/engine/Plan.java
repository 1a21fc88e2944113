package io.memdrs.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of one decision round: everything a {@code BalanceReport}, its {@code MigrationRecommendation}s and
 * the {@code HostLoad}s of the round need.
 *
 * @param cluster cluster id
 * @param createdAt when the round ran (the {@code now} given to the engine)
 * @param outcome what the round decided
 * @param summary one line: what the round decided and why
 * @param imbalanceBefore σ of host loads before the round's moves (hosts not in maintenance and not unknown)
 * @param imbalanceAfter σ once the recommended moves (wave 1) are executed
 * @param targetImbalance target σ of the migration-threshold level ({@code +∞} at level 1)
 * @param stopImbalance σ at which a triggered round stops balancing
 * @param migrationThreshold the level, 1 to 5
 * @param hostCount hosts in the snapshot
 * @param vmCount VMs in the snapshot
 * @param recommendations the moves of wave 1, in execution order: what the round emits now
 * @param waves the whole plan in waves, wave 1 first (its moves are {@code recommendations}); each later wave runs
 *        once the one before it is done, and the next round re-plans from fresh state anyway
 * @param rejected why the round did not do more: the best moves it could not make, with the reason
 * @param notes further observations: unknown hosts, untrusted VMs, caps reached, mandatory moves impossible
 * @param hosts per host, load before and after
 * @param policyVersion version of the policy
 */
public record Plan(String cluster, Instant createdAt, Outcome outcome, String summary, double imbalanceBefore,
        double imbalanceAfter, double targetImbalance, double stopImbalance, int migrationThreshold, int hostCount,
        int vmCount, List<Recommendation> recommendations, List<Wave> waves, List<RejectedAlternative> rejected, List<String> notes,
        List<HostLoadLine> hosts, String policyVersion) {

    public Plan {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(outcome, "outcome");
        recommendations = List.copyOf(recommendations);
        waves = List.copyOf(waves);
        rejected = List.copyOf(rejected);
        notes = List.copyOf(notes);
        hosts = List.copyOf(hosts);
    }

    /** σ once the whole plan (every wave) is executed. */
    public double planImbalanceAfter() {
        return waves.isEmpty() ? imbalanceBefore : waves.get(waves.size() - 1).imbalanceAfter();
    }

    /** Moves of the whole plan, every wave. */
    public int planMoves() {
        return waves.stream().mapToInt(w -> w.recommendations().size()).sum();
    }

    /** Bytes the whole plan copies at least, KiB. */
    public long planBytesToCopyKiB() {
        return waves.stream().mapToLong(Wave::bytesToCopyKiB).sum();
    }

    /** Total bytes the recommended migrations (wave 1) copy at least, KiB. */
    public long bytesToCopyKiB() {
        return recommendations.stream().mapToLong(Recommendation::sizeKiB).sum();
    }
}
