package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the balance part of a round's whole plan, after the mandatory moves, and improves it.
 *
 * <h2>Objective</h2>
 * First leave as little load above the high watermark as any plan found can; then, where the stop band (target ×
 * lower band) can be reached, the fewest bytes copied, then the fewest moves; where it cannot, the lowest σ, giving
 * up at most {@link Policy#goodnessTolerance()} of the best reachable drop of σ to copy fewer bytes, then the fewest
 * bytes and moves. Every balance move must pay: a move whose removal from the finished plan loses less than
 * MinGoodness of hosts × σ² is dropped.
 *
 * <h2>Search</h2>
 * Three greedy constructions from the same state, each an honest whole path under every hard constraint: the
 * policy's cost-aware greedy (overloads first, benefit counted down to the stop band, best benefit per byte within
 * the goodness tolerance), steepest descent (the largest drop of σ per move) and best gain per byte. Every prefix of
 * each is a candidate plan, so the chosen plan is never beaten by any of them with no more moves and no more bytes
 * (it is not dominated). The two extra constructions run when the first scored at most half of the round's
 * exploration budget ({@value #EXPLORATION_BUDGET} VMs scored and targets checked over all greedy steps: clusters up to a few thousand
 * VMs); each may score up to half of it (truncated there: its prefixes so far still count) and stops early once it
 * copies more than a plan that already reaches the band. The budget is counted, not timed, so a round stays
 * deterministic. Then local search drops moves that no longer pay, re-validating the whole path.
 */
final class PlanSearch {
    /** VMs scored and targets checked (over all greedy steps) that a round may spend on extra constructions. */
    static final long EXPLORATION_BUDGET = 60_000;
    private static final int MAX_DROP_TRIES = 32;

    private final Round round;
    private final Placement placement;
    private final Policy policy;
    private final int from;
    /** Whether the chosen balance search ran out of data or of improving moves (for the round's outcome). */
    boolean insufficientData;
    boolean noImprovingMove;
    /** Names of the constructions that ran, the one chosen, and how many moves local search dropped. */
    final List<String> constructions = new ArrayList<>();
    String chosen = "";
    /** The σ the chosen plan may not exceed (the stop band, or the lowest σ found plus the tolerance). */
    private double sigmaLimit = Double.POSITIVE_INFINITY;
    int dropped;
    long droppedKiB;

    private record Metrics(long bytesKiB, double sigma, double overload) {
    }

    private record Run(BalancePlanner.Variant variant, List<PlannedMove> moves, List<String> notes,
            List<RejectedAlternative> rejected, boolean constrained, boolean insufficientData, boolean noImprovingMove,
            Metrics[] prefixes) {
    }

    PlanSearch(Round round) {
        this.round = round;
        this.placement = round.placement;
        this.policy = round.policy;
        this.from = round.moves.size();
    }

    void run() {
        List<Run> runs = new ArrayList<>();
        long[] spent = new long[1];
        runs.add(construct(BalancePlanner.policyVariant(policy), Long.MAX_VALUE, Long.MAX_VALUE, spent));
        if (spent[0] <= EXPLORATION_BUDGET / 2 && !runs.get(0).moves().isEmpty()) {
            runs.add(construct(new BalancePlanner.Variant("steepest descent", 0.0, false, false,
                    "the largest drop of the imbalance"), bandBytes(runs), EXPLORATION_BUDGET / 2, spent));
            runs.add(construct(new BalancePlanner.Variant("best gain per byte", 1.0, false, false,
                    "the most drop of the imbalance per byte"), bandBytes(runs), EXPLORATION_BUDGET / 2, spent));
        }
        int[] pick = choose(runs);
        Run run = runs.get(pick[0]);
        int k = pick[1];
        chosen = run.variant().name();
        for (int i = 0; i < k; i++) {
            PlannedMove m = run.moves().get(i);
            round.recommend(m.vm(), m.target(), m.reason(), m.trigger(), m.alternatives(), m.why());
        }
        round.notes.addAll(run.notes());
        round.rejected.addAll(run.rejected());
        round.constrained |= run.constrained();
        insufficientData = run.insufficientData();
        noImprovingMove = run.noImprovingMove();
        if (k < run.moves().size()) {
            long rest = 0;
            for (int i = k; i < run.moves().size(); i++) {
                rest += placement.vm(run.moves().get(i).vm()).sizeKiB();
            }
            round.notes.add("the plan stops after " + k + " of the " + run.moves().size() + " balance moves the "
                    + chosen + " found: the other " + (run.moves().size() - k) + " would copy " + Fmt.gib(rest)
                    + " more for less than " + Fmt.pct(policy.goodnessTolerance()) + " of the reachable drop of σ");
        }
        dropMovesThatNoLongerPay();
    }

    /** Runs one construction from the current state, records every prefix, and takes it back. */
    private Run construct(BalancePlanner.Variant variant, long stopAboveBytesKiB, long evaluationLimit, long[] spent) {
        constructions.add(variant.name());
        int notes = round.notes.size();
        int rejected = round.rejected.size();
        boolean constrained = round.constrained;
        BalancePlanner planner = new BalancePlanner(round, variant, stopAboveBytesKiB, evaluationLimit);
        planner.run();
        spent[0] += planner.evaluations();
        List<PlannedMove> moves = new ArrayList<>(round.moves.subList(from, round.moves.size()));
        Metrics[] prefixes = new Metrics[moves.size() + 1];
        long bytes = 0;
        for (PlannedMove m : moves) {
            bytes += placement.vm(m.vm()).sizeKiB();
        }
        for (int i = moves.size(); i >= 0; i--) {
            prefixes[i] = new Metrics(bytes, placement.imbalance(), overload());
            if (i > 0) {
                PlannedMove m = moves.get(i - 1);
                bytes -= placement.vm(m.vm()).sizeKiB();
                round.undoFrom(from + i - 1);
            }
        }
        List<String> runNotes = new ArrayList<>(round.notes.subList(notes, round.notes.size()));
        List<RejectedAlternative> runRejected = new ArrayList<>(round.rejected.subList(rejected, round.rejected.size()));
        round.notes.subList(notes, round.notes.size()).clear();
        round.rejected.subList(rejected, round.rejected.size()).clear();
        boolean runConstrained = round.constrained;
        round.constrained = constrained;
        return new Run(variant, moves, runNotes, runRejected, runConstrained, planner.insufficientData,
                planner.noImprovingMove, prefixes);
    }

    /** Bytes of the cheapest prefix found so far that reaches the stop band, or no bound. */
    private long bandBytes(List<Run> runs) {
        long best = Long.MAX_VALUE;
        for (Run r : runs) {
            for (Metrics m : r.prefixes()) {
                if (reaches(m)) {
                    best = Math.min(best, m.bytesKiB());
                }
            }
        }
        return best;
    }

    private boolean reaches(Metrics m) {
        return m.sigma() <= policy.stopImbalance() + 1e-12;
    }

    /** {run, prefix length} of the best candidate under the objective (class comment). */
    private int[] choose(List<Run> runs) {
        double leastOverload = Double.POSITIVE_INFINITY;
        double lowestSigma = Double.POSITIVE_INFINITY;
        boolean anyReaches = false;
        for (Run r : runs) {
            for (Metrics m : r.prefixes()) {
                leastOverload = Math.min(leastOverload, m.overload());
            }
        }
        for (Run r : runs) {
            for (Metrics m : r.prefixes()) {
                if (m.overload() <= leastOverload + 1e-9) {
                    lowestSigma = Math.min(lowestSigma, m.sigma());
                    anyReaches |= reaches(m);
                }
            }
        }
        double start = runs.get(0).prefixes()[0].sigma();
        sigmaLimit = anyReaches ? policy.stopImbalance() + 1e-12
                : lowestSigma + policy.goodnessTolerance() * Math.max(0.0, start - lowestSigma) + 1e-12;
        int[] best = {0, 0};
        Metrics bestM = null;
        int bestMoves = 0;
        for (int ri = 0; ri < runs.size(); ri++) {
            Metrics[] p = runs.get(ri).prefixes();
            for (int k = 0; k < p.length; k++) {
                Metrics m = p[k];
                if (m.overload() > leastOverload + 1e-9 || m.sigma() > sigmaLimit) {
                    continue;
                }
                if (bestM == null || m.bytesKiB() < bestM.bytesKiB()
                        || (m.bytesKiB() == bestM.bytesKiB() && (k < bestMoves
                        || (k == bestMoves && m.sigma() < bestM.sigma() - 1e-12)))) {
                    bestM = m;
                    bestMoves = k;
                    best = new int[] {ri, k};
                }
            }
        }
        return best;
    }

    /** Load above the high watermark, summed over the balanced hosts. */
    private double overload() {
        double sum = 0;
        for (int h = 0; h < placement.hostCount(); h++) {
            if (placement.balanced(h)) {
                sum += Math.max(0.0, placement.load(h) - policy.highWatermark());
            }
        }
        return sum;
    }

    /**
     * Local search: a balance move that the finished plan no longer needs — without it the plan still reaches the
     * stop band, or it adds less than MinGoodness — and whose removal leaves every later move allowed and no more
     * overload, is dropped. Last move first; at most {@value #MAX_DROP_TRIES} whole-path re-validations.
     */
    private void dropMovesThatNoLongerPay() {
        int tries = 0;
        for (int i = round.moves.size() - 1; i >= from && tries < MAX_DROP_TRIES; i--) {
            PlannedMove m = round.moves.get(i);
            if (m.mandatory()) {
                continue;
            }
            int hosts = placement.balancedHostCount();
            double ssd = placement.squaredDeviations();
            double g = placement.goodness(m.vm(), m.source());
            double sigmaWithout = Math.sqrt(Math.max(0.0, ssd - g) / hosts);
            boolean reachesNow = placement.imbalance() <= policy.stopImbalance() + 1e-12;
            boolean unneeded = reachesNow ? sigmaWithout <= policy.stopImbalance() + 1e-12
                    : -g < policy.minGoodness() && sigmaWithout <= sigmaLimit;
            if (!unneeded) {
                continue;
            }
            tries++;
            double overloadNow = overload();
            List<PlannedMove> tail = new ArrayList<>(round.moves.subList(i, round.moves.size()));
            round.undoFrom(i);
            boolean ok = true;
            for (int j = 1; j < tail.size() && ok; j++) {
                PlannedMove t = tail.get(j);
                ok = round.rules.check(t.vm(), t.target(), t.mandatory()) == null;
                if (ok) {
                    round.recommend(t.vm(), t.target(), t.reason(), t.trigger(), t.alternatives(), t.why(), t.unit());
                }
            }
            if (ok && overload() <= overloadNow + 1e-9) {
                dropped++;
                droppedKiB += placement.vm(m.vm()).sizeKiB();
                continue;
            }
            round.undoFrom(i);
            for (PlannedMove t : tail) {
                round.recommend(t.vm(), t.target(), t.reason(), t.trigger(), t.alternatives(), t.why(), t.unit());
            }
        }
        if (dropped > 0) {
            round.notes.add("local search dropped " + dropped + (dropped == 1 ? " move" : " moves") + " that no longer"
                    + " paid once the rest of the plan was made (" + Fmt.gib(droppedKiB) + " less to copy)");
        }
    }
}
