package io.memdrs.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The decision engine: one call plans one round for one cluster. Plain Java over plain records, deterministic (the
 * same snapshot, policy and {@code now} give the same plan), no I/O.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Mandatory moves, priority 1: evacuate hosts in maintenance (largest demand first), then correct must-rule
 *       violations (anti-affinity: spread; affinity: gather on the host most members share; VM–host rules: move to an
 *       allowed host). Each VM goes to the allowed target that keeps the imbalance lowest.</li>
 *   <li>From level 2: relieve hosts above the high watermark (reason OVERLOAD), then, if σ is above the level's
 *       target, balance greedily: score every (VM, target) candidate in O(1) from Σ L and Σ L², apply the one with
 *       the best benefit per byte, repeat. Stop when σ ≤ target × lowerBand, when no allowed move reaches
 *       MinGoodness, or at the round cap.</li>
 * </ol>
 * Hard constraints hold after every move: see {@link MoveRules}. The imbalance is the population standard deviation
 * of the loads of hosts that are active, not in maintenance and have capacity; UNKNOWN hosts are left out because
 * their load is not known (and their VMs are not moved).
 *
 * <h2>Priorities</h2>
 * 1: mandatory; 2: relieves an overloaded host, or goodness ≥ 0.05; 3: goodness ≥ 0.02; 4: goodness ≥ 0.005;
 * 5: smaller gains. (Goodness = reduction of hosts × σ², see {@link Policy}.)
 */
public final class DrsEngine {

    private DrsEngine() {
    }

    /**
     * Plans one round.
     *
     * @param snapshot the cluster as it is now
     * @param policy the knobs
     * @param now when the round runs: cooldowns are measured against it and recommendations expire
     *        {@link Policy#recommendationLifetime()} after it
     * @return the plan, also when nothing is recommended (the outcome and notes say why)
     */
    public static Plan plan(Snapshot snapshot, Policy policy, Instant now) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");
        Round round = new Round(snapshot, policy, now);
        Placement start = round.placement.copy();
        List<HostLoadLine> before = hostLines(round.placement, null);
        new MandatoryPlanner(round).run();
        PlanSearch search = new PlanSearch(round);
        search.run();
        new BlockingReport(round).addNotes(policy.migrationThreshold() > 1
                && round.imbalanceAtStart > policy.targetImbalance());
        WaveRecorder recorder = new WaveRecorder(round, start);
        List<Wave> waves = recorder.record();
        List<Recommendation> now1 = waves.isEmpty() ? List.of() : waves.get(0).recommendations();
        Placement afterWave1 = recorder.afterFirstWave();
        Outcome outcome = outcome(round, search, now1);
        addContextNotes(round);
        return new Plan(snapshot.cluster(), now, outcome, summary(round, outcome, now1, waves, afterWave1),
                round.imbalanceAtStart, afterWave1.imbalance(), policy.targetImbalance(), policy.stopImbalance(),
                policy.migrationThreshold(), snapshot.hosts().size(), snapshot.vms().size(), now1, waves,
                round.rejected, round.notes, hostLines(afterWave1, before), policy.version());
    }

    /** Priority of a move: 1 for mandatory ones, else rated by its goodness (see the class comment). */
    public static int priorityFor(MoveReason reason, double goodness) {
        switch (reason) {
            case MAINTENANCE_EVACUATION:
            case RULE_VIOLATION:
                return 1;
            case OVERLOAD:
                return 2;
            default:
                if (goodness >= 0.05) {
                    return 2;
                }
                if (goodness >= 0.02) {
                    return 3;
                }
                return goodness >= 0.005 ? 4 : 5;
        }
    }

    private static Outcome outcome(Round round, PlanSearch balance, List<Recommendation> now1) {
        if (!now1.isEmpty()) {
            return Outcome.MOVES_RECOMMENDED;
        }
        if (round.constrained || round.mandatoryPending) {
            return Outcome.CONSTRAINED;
        }
        if (balance.insufficientData) {
            return Outcome.INSUFFICIENT_DATA;
        }
        if (balance.noImprovingMove) {
            return Outcome.NO_IMPROVING_MOVE;
        }
        return Outcome.BALANCED;
    }

    private static String summary(Round round, Outcome outcome, List<Recommendation> now1, List<Wave> waves,
            Placement p) {
        Policy policy = round.policy;
        String sigma = "imbalance " + Fmt.sigma(round.imbalanceAtStart);
        String target = "target " + Fmt.sigma(policy.targetImbalance()) + " (level " + policy.migrationThreshold() + ")";
        switch (outcome) {
            case MOVES_RECOMMENDED: {
                int mandatory = 0;
                for (Recommendation r : now1) {
                    if (r.mandatory()) {
                        mandatory++;
                    }
                }
                int n = now1.size();
                String now = n + (n == 1 ? " move" : " moves") + " recommended (" + mandatory + " mandatory): " + sigma
                        + " → " + Fmt.sigma(p.imbalance()) + ", " + target;
                if (waves.size() < 2) {
                    return now;
                }
                long bytes = 0;
                for (Wave w : waves) {
                    bytes += w.bytesToCopyKiB();
                }
                return now + "; wave 1 of " + waves.size() + " of the whole plan (" + round.moves.size()
                        + " moves, " + Fmt.gib(bytes) + " to copy, imbalance → "
                        + Fmt.sigma(waves.get(waves.size() - 1).imbalanceAfter()) + ")";
            }
            case BALANCED:
                return "Balanced: " + sigma + " ≤ " + target + ", nothing mandatory";
            case NO_IMPROVING_MOVE:
                return "No allowed move improves the " + sigma + " by MinGoodness " + Fmt.goodness(policy.minGoodness())
                        + "; " + target;
            case CONSTRAINED:
                return "Constrained: moves are needed (" + sigma + ", " + target + (round.mandatoryPending
                        ? ", mandatory moves pending" : "") + ") but rules, the high watermark, cooldowns or caps "
                        + "stop them";
            default:
                return "Insufficient data: " + (p.balancedHostCount() < 2 ? p.balancedHostCount()
                        + " usable hosts" : "too little demand from trusted statistics") + "; " + sigma;
        }
    }

    private static void addContextNotes(Round round) {
        Placement p = round.placement;
        // VM counts per host are the same before and after the plan for these notes: UNKNOWN hosts move nothing
        int low = 0;
        int[] onHost = new int[p.hostCount()];
        for (int v = 0; v < p.vmCount(); v++) {
            onHost[p.hostOf(v)]++;
            if (p.vm(v).confidence() == Confidence.LOW) {
                low++;
            }
        }
        if (low == 1) {
            round.notes.add("1 VM counts at a conservative bound (LOW confidence) and is not moved for balance");
        } else if (low > 1) {
            round.notes.add(low + " VMs count at a conservative bound (LOW confidence) and are not moved for balance");
        }
        for (int h = 0; h < p.hostCount(); h++) {
            if (p.host(h).state() == HostState.UNKNOWN && !p.host(h).maintenance()) {
                round.notes.add("host " + p.host(h).name() + " is not heard from (UNKNOWN): left out of the imbalance,"
                        + " never a target, its " + onHost[h] + " VMs not moved");
            }
        }
    }

    private static List<HostLoadLine> hostLines(Placement p, List<HostLoadLine> before) {
        List<HostLoadLine> lines = new ArrayList<>(p.hostCount());
        int[] vmCount = new int[p.hostCount()];
        int[] trusted = new int[p.hostCount()];
        for (int v = 0; v < p.vmCount(); v++) {
            int h = before == null ? p.hostOf(v) : p.initialHostOf(v);
            vmCount[h]++;
            if (p.vm(v).confidence() == Confidence.HIGH) {
                trusted[h]++;
            }
        }
        for (int h = 0; h < p.hostCount(); h++) {
            Host host = p.host(h);
            long demandBefore = before == null ? p.demandKiB(h) : before.get(h).demandBeforeKiB();
            double loadBefore = before == null ? p.load(h) : before.get(h).loadBefore();
            lines.add(new HostLoadLine(host.name(), host.state(), host.maintenance(), host.memoryKiB(),
                    host.reservedKiB(), demandBefore, p.demandKiB(h), loadBefore, p.load(h), vmCount[h], trusted[h],
                    p.balanced(h)));
        }
        return lines;
    }
}
