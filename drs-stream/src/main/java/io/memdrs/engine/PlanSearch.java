package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the balance part of a round's whole plan, after the mandatory moves, and improves it.
 *
 * <h2>Objective</h2>
 * First leave as little load above the high watermark as any plan found can; then, where the stop band (target ×
 * lower band) can be reached, the fewest bytes copied, then the fewest moves; where it cannot, the lowest σ, giving
 * up at most {@link Policy#goodnessTolerance()} (and never more than half) of the best reachable drop of σ to copy
 * fewer bytes, then the fewest bytes and moves. Every balance move must pay: a move whose removal from the finished
 * plan loses less than MinGoodness of hosts × σ² is dropped.
 *
 * <h2>Search</h2>
 * Three greedy constructions from the same state, each an honest whole path under every hard constraint: the
 * policy's cost-aware greedy (overloads first, benefit counted down to the stop band, best benefit per byte within
 * the goodness tolerance), steepest descent (the largest drop of σ per move) and best gain per byte. Every prefix of
 * each is a candidate plan, so the chosen plan is never beaten by any of them with no more moves and no more bytes
 * (it is not dominated). The two extra constructions run when the first scored at most half of the round's
 * exploration budget ({@value #EXPLORATION_BUDGET} VMs scored and targets checked over all greedy steps: clusters
 * of up to about a thousand VMs); each may spend up to half of it (truncated there: its prefixes so far still count).
 * They are not cut at the bytes of a plan that already reaches the band: should-rule repairs may add bytes to the
 * chosen plan later, and a longer candidate must still be there to compare with. The budget is counted, not timed,
 * so a round stays deterministic. On small clusters (at most {@value ExactSearch#MAX_PAIRS} VM–host pairs) a branch
 * and bound over sets of up to 4 balance moves adds, per move count, the set that leaves the lowest σ. Then local
 * search drops moves that no longer pay and sends VMs to better targets (same moves and bytes, lower σ),
 * re-validating the whole path each time; should rules are repaired where that costs no balance.
 */
final class PlanSearch {
    /** VMs scored and targets checked (over all greedy steps) that a round may spend on extra constructions. */
    static final long EXPLORATION_BUDGET = 60_000;
    private static final int MAX_DROP_TRIES = 32;
    private static final int MAX_RELOCATE_TRIES = 32;
    /** The plan choice never gives up more than half of the reachable drop of σ, whatever the goodness tolerance. */
    private static final double MAX_SELECTION_TOLERANCE = 0.5;

    private final Round round;
    private final Placement placement;
    private final Policy policy;
    private final int from;
    private final int[] shouldRules;
    /** Set when a construction balanced (σ above the target, enough trusted demand): exact search only then. */
    private boolean balancing;
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
    int relocated;

    private record Metrics(long bytesKiB, double sigma, double overload, int should) {
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
        RuleBook book = round.rules.rules();
        this.shouldRules = java.util.stream.IntStream.range(0, book.ruleCount()).filter(r -> !book.rule(r).must())
                .toArray();
    }

    void run() {
        List<Run> runs = new ArrayList<>();
        long[] spent = new long[1];
        runs.add(construct(BalancePlanner.policyVariant(policy), Long.MAX_VALUE, spent));
        if (spent[0] <= EXPLORATION_BUDGET / 2 && !runs.get(0).moves().isEmpty()) {
            runs.add(construct(new BalancePlanner.Variant("steepest descent", 0.0, false, false,
                    "the largest drop of the imbalance", false), EXPLORATION_BUDGET / 2, spent));
            runs.add(construct(new BalancePlanner.Variant("best gain per byte", 1.0, false, false,
                    "the most drop of the imbalance per byte", false), EXPLORATION_BUDGET / 2, spent));
            exact(runs);
        }
        int[] pick = choose(runs);
        Run run = runs.get(pick[0]);
        int k = pick[1];
        int notesMark = round.notes.size();
        int rejectedMark = round.rejected.size();
        boolean constrainedBefore = round.constrained;
        adopt(runs, run, k);
        improve();
        // Repairing should rules adds moves that do not lower σ: where that leaves the plan beaten by a candidate with
        // no more moves, bytes, overload and broken should rules, take that candidate instead (and try again).
        for (int attempt = 0; attempt < 3; attempt++) {
            int before = round.moves.size();
            new ShouldRuleRepair(round).run();
            if (round.moves.size() == before) {
                return;
            }
            int[] better = dominating(runs);
            if (better == null) {
                return;
            }
            round.undoFrom(from);
            round.notes.subList(notesMark, round.notes.size()).clear();
            round.rejected.subList(rejectedMark, round.rejected.size()).clear();
            round.constrained = constrainedBefore;
            adopt(runs, runs.get(better[0]), better[1]);
            round.notes.add("the plan is the " + chosen + "'s first " + better[1] + " moves: with the should-rule "
                    + "repairs, the other plan did no better on any count");
            if (attempt == 2) {
                return;
            }
            improve();
        }
    }

    /** Applies the run's first {@code k} moves and takes over its notes, rejections and flags. */
    private void adopt(List<Run> runs, Run run, int k) {
        chosen = run.variant().name();
        if (constructions.size() > 1 && !runs.get(0).moves().isEmpty()) {
            round.notes.add("plan search: " + String.join(", ", constructions) + "; the plan is the " + chosen
                    + "'s (" + k + " balance moves)");
        }
        for (int i = 0; i < k; i++) {
            PlannedMove m = run.moves().get(i);
            round.recommend(m.vm(), m.target(), m.reason(), m.trigger(), m.alternatives(), m.why(), m.unit());
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
                    + " more for less than " + Fmt.pct(tolerance()) + " of the reachable drop of σ");
        }
    }

    /** How much of the reachable drop of σ a plan may give up for fewer bytes when the band is out of reach. */
    private double tolerance() {
        return Math.min(policy.goodnessTolerance(), MAX_SELECTION_TOLERANCE);
    }

    private void improve() {
        dropped = 0;
        droppedKiB = 0;
        relocated = 0;
        dropMovesThatNoLongerPay();
        relocateMoves();
    }

    /** {run, prefix} of a candidate that beats the current plan on σ with no more of anything else, or null. */
    private int[] dominating(List<Run> runs) {
        int moves = round.moves.size() - from;
        long bytes = 0;
        for (int i = from; i < round.moves.size(); i++) {
            bytes += placement.vm(round.moves.get(i).vm()).sizeKiB();
        }
        double sigma = placement.imbalance();
        double over = overload();
        int should = shouldViolations();
        int[] best = null;
        double bestSigma = sigma - 1e-9;
        for (int ri = 0; ri < runs.size(); ri++) {
            Metrics[] p = runs.get(ri).prefixes();
            for (int k = 0; k < p.length && k <= moves; k++) {
                Metrics m = p[k];
                if (m != null && m.bytesKiB() <= bytes && m.overload() <= over + 1e-9 && m.should() <= should
                        && m.sigma() < bestSigma) {
                    bestSigma = m.sigma();
                    best = new int[] {ri, k};
                }
            }
        }
        return best;
    }

    /** Sum of the violation measures of the should rules that name the VM, now. */
    private int shouldViolationsOf(int v) {
        if (shouldRules.length == 0) {
            return 0;
        }
        RuleBook book = round.rules.rules();
        int sum = 0;
        for (int r : book.rulesOf(v)) {
            if (!book.rule(r).must()) {
                sum += book.violations(r);
            }
        }
        return sum;
    }

    /** Sum of the violation measures of the should rules now. */
    private int shouldViolations() {
        RuleBook book = round.rules.rules();
        int sum = 0;
        for (int r : shouldRules) {
            sum += book.violations(r);
        }
        return sum;
    }

    /** Runs one construction from the current state, records every prefix, and takes it back. */
    private Run construct(BalancePlanner.Variant variant, long evaluationLimit, long[] spent) {
        constructions.add(variant.name());
        int notes = round.notes.size();
        int rejected = round.rejected.size();
        boolean constrained = round.constrained;
        BalancePlanner planner = new BalancePlanner(round, variant, evaluationLimit);
        planner.run();
        spent[0] += planner.evaluations();
        balancing |= planner.balancing;
        List<PlannedMove> moves = new ArrayList<>(round.moves.subList(from, round.moves.size()));
        Metrics[] prefixes = measureAndUndo(moves);
        List<String> runNotes = new ArrayList<>(round.notes.subList(notes, round.notes.size()));
        List<RejectedAlternative> runRejected = new ArrayList<>(round.rejected.subList(rejected, round.rejected.size()));
        round.notes.subList(notes, round.notes.size()).clear();
        round.rejected.subList(rejected, round.rejected.size()).clear();
        boolean runConstrained = round.constrained;
        round.constrained = constrained;
        return new Run(variant, moves, runNotes, runRejected, runConstrained, planner.insufficientData,
                planner.noImprovingMove, prefixes);
    }

    /** The metrics of every prefix of the moves, which are applied from {@code from} on; takes them back. */
    private Metrics[] measureAndUndo(List<PlannedMove> moves) {
        Metrics[] prefixes = new Metrics[moves.size() + 1];
        long bytes = 0;
        for (PlannedMove m : moves) {
            bytes += placement.vm(m.vm()).sizeKiB();
        }
        int should = shouldViolations();
        for (int i = moves.size(); i >= 0; i--) {
            prefixes[i] = new Metrics(bytes, placement.imbalance(), overload(), should);
            if (i > 0) {
                PlannedMove m = moves.get(i - 1);
                bytes -= placement.vm(m.vm()).sizeKiB();
                should -= shouldViolationsOf(m.vm());
                round.undoFrom(from + i - 1);
                should += shouldViolationsOf(m.vm());
            }
        }
        for (int k = 1; k < moves.size(); k++) {
            if (moves.get(k - 1).unit() == moves.get(k).unit()) {
                prefixes[k] = null; // a prefix that splits a must affinity group is no plan
            }
        }
        return prefixes;
    }

    /** The best sets of up to 4 balance moves by exact search, each a candidate plan of its own. */
    private void exact(List<Run> runs) {
        int depth = Math.min(4, runs.stream().mapToInt(r -> r.moves().size()).max().orElse(0));
        if (depth == 0 || !balancing || !ExactSearch.fits(placement)) {
            return;
        }
        TriggerEvidence trigger = new TriggerEvidence("imbalance", placement.imbalance(), policy.targetImbalance(),
                round.imbalanceSeconds());
        ExactSearch search = new ExactSearch(round, depth);
        List<List<PlannedMove>> sets = search.run(trigger);
        constructions.add("exact search");
        BalancePlanner.Variant exact = new BalancePlanner.Variant("exact search", 0.0, false, false,
                "the lowest σ for its number of moves", false);
        for (List<PlannedMove> set : sets) {
            if (set.isEmpty()) {
                continue;
            }
            for (PlannedMove m : set) {
                round.recommend(m.vm(), m.target(), m.reason(), m.trigger(), m.alternatives(), m.why(), m.unit());
            }
            runs.add(new Run(exact, set, List.of(), List.of(), round.constrained, false, false, measureAndUndo(set)));
        }
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
                leastOverload = m == null ? leastOverload : Math.min(leastOverload, m.overload());
            }
        }
        for (Run r : runs) {
            for (Metrics m : r.prefixes()) {
                if (m != null && m.overload() <= leastOverload + 1e-9) {
                    lowestSigma = Math.min(lowestSigma, m.sigma());
                    anyReaches |= reaches(m);
                }
            }
        }
        double start = runs.get(0).prefixes()[0].sigma();
        sigmaLimit = anyReaches ? policy.stopImbalance() + 1e-12
                : lowestSigma + tolerance() * Math.max(0.0, start - lowestSigma) + 1e-12;
        int[] best = {0, 0};
        Metrics bestM = null;
        int bestMoves = 0;
        for (int ri = 0; ri < runs.size(); ri++) {
            Metrics[] p = runs.get(ri).prefixes();
            for (int k = 0; k < p.length; k++) {
                Metrics m = p[k];
                if (m == null || m.overload() > leastOverload + 1e-9 || m.sigma() > sigmaLimit) {
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

    /**
     * Local search: a balance move whose VM would leave the finished plan at a lower σ on another target — same moves,
     * same bytes — goes there instead, when every later move stays allowed and no more load ends above the watermark.
     * Last move first, the best target by the O(1) estimate; at most {@value #MAX_RELOCATE_TRIES} whole-path
     * re-validations.
     */
    private void relocateMoves() {
        int tries = 0;
        double before = placement.imbalance();
        for (int i = round.moves.size() - 1; i >= from && tries < MAX_RELOCATE_TRIES; i--) {
            PlannedMove m = round.moves.get(i);
            if (m.mandatory() || inGroup(i)) {
                continue;
            }
            int best = -1;
            double bestGain = 1e-12;
            for (int t = 0; t < placement.hostCount(); t++) {
                if (t == m.target() || t == m.source() || !placement.balanced(t)) {
                    continue;
                }
                double gain = placement.goodness(m.vm(), t);
                if (gain > bestGain) {
                    bestGain = gain;
                    best = t;
                }
            }
            if (best < 0) {
                continue;
            }
            tries++;
            double overloadNow = overload();
            double sigmaNow = placement.imbalance();
            List<PlannedMove> tail = new ArrayList<>(round.moves.subList(i, round.moves.size()));
            round.undoFrom(i);
            boolean ok = round.rules.check(m.vm(), best, false) == null;
            if (ok) {
                String why = (m.reason() == MoveReason.OVERLOAD ? "Relieve " + placement.host(m.source()).name()
                        + ", above the high watermark: move " : "Move ") + placement.vm(m.vm()).name() + " from "
                        + placement.host(m.source()).name() + " to " + placement.host(best).name()
                        + (m.reason() == MoveReason.OVERLOAD ? "" : " to lower the imbalance") + " (local search: there"
                        + " rather than " + placement.host(m.target()).name() + ", the whole plan ends at a lower σ"
                        + " for the same bytes)";
                round.recommend(m.vm(), best, m.reason(), m.trigger(), List.of(), why, m.unit());
            }
            ok = ok && replay(tail) && overload() <= overloadNow + 1e-9 && placement.imbalance() < sigmaNow - 1e-12;
            if (ok) {
                relocated++;
                continue;
            }
            restore(i, tail);
        }
        if (relocated > 0) {
            round.notes.add("local search sent " + relocated + (relocated == 1 ? " VM" : " VMs") + " to another target"
                    + " than the greedy chose: imbalance " + Fmt.sigma(before) + " → " + Fmt.sigma(placement.imbalance())
                    + " for the same moves and bytes");
        }
    }

    /**
     * Re-applies the tail's moves after its first (which the caller changed or dropped), each checked against every
     * constraint in the state the earlier ones leave; false at the first that is no longer allowed.
     */
    private boolean replay(List<PlannedMove> tail) {
        for (int j = 1; j < tail.size(); j++) {
            PlannedMove t = tail.get(j);
            if (round.rules.check(t.vm(), t.target(), t.mandatory()) != null) {
                return false;
            }
            round.recommend(t.vm(), t.target(), t.reason(), t.trigger(), t.alternatives(), t.why(), t.unit());
        }
        return true;
    }

    /** Puts the plan back as it was from move {@code i} on: the tail, unchanged. */
    private void restore(int i, List<PlannedMove> tail) {
        round.undoFrom(i);
        for (PlannedMove t : tail) {
            round.recommend(t.vm(), t.target(), t.reason(), t.trigger(), t.alternatives(), t.why(), t.unit());
        }
    }

    /** True when the plan's move {@code i} is one of a unit of several (a must affinity group). */
    private boolean inGroup(int i) {
        int unit = round.moves.get(i).unit();
        return (i > 0 && round.moves.get(i - 1).unit() == unit)
                || (i + 1 < round.moves.size() && round.moves.get(i + 1).unit() == unit);
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
            if (m.mandatory() || inGroup(i)) {
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
            if (replay(tail) && overload() <= overloadNow + 1e-9) {
                dropped++;
                droppedKiB += placement.vm(m.vm()).sizeKiB();
                continue;
            }
            restore(i, tail);
        }
        if (dropped > 0) {
            round.notes.add("local search dropped " + dropped + (dropped == 1 ? " move" : " moves") + " that no longer"
                    + " paid once the rest of the plan was made (" + Fmt.gib(droppedKiB) + " less to copy)");
        }
    }
}
