package io.memdrs.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Repairs broken should rules when that costs no balance, after the balance part of the plan: a VM of the rule moves
 * to a target where the rule is broken less, when the move breaks no other rule, keeps every hard constraint and does
 * not raise σ (goodness ≥ 0); among such moves the one that lowers σ most, then the fewest bytes. One rule at a time,
 * until no rule can be helped. A should rule that stays broken gets a note saying why.
 */
final class ShouldRuleRepair {
    /** Broken should rules looked at per round; the next round goes on with the rest. */
    static final int MAX_RULES = 64;

    private final Round round;
    private final Placement placement;
    private final MoveRules rules;
    private final RuleBook book;

    ShouldRuleRepair(Round round) {
        this.round = round;
        this.placement = round.placement;
        this.rules = round.rules;
        this.book = round.rules.rules();
    }

    void run() {
        if (round.policy.migrationThreshold() == 1 || placement.balancedHostCount() < 2) {
            return;
        }
        List<String> stay = new ArrayList<>();
        int looked = 0;
        for (int r = 0; r < book.ruleCount(); r++) {
            Rule rule = book.rule(r);
            if (rule.must() || book.violations(r) == 0) {
                continue;
            }
            if (++looked > MAX_RULES) {
                round.notes.add("more than " + MAX_RULES + " should rules are broken: the next round repairs more");
                break;
            }
            while (book.violations(r) > 0 && !rules.planFull() && repairOnce(r)) {
                // one move at a time: the counts change with each
            }
            if (book.violations(r) > 0) {
                stay.add(rule.id());
            }
        }
        if (!stay.isEmpty()) {
            round.notes.add("should " + (stay.size() == 1 ? "rule " : "rules ") + String.join(", ", stay)
                    + (stay.size() == 1 ? " stays" : " stay") + " broken: no move of theirs breaks no other rule, keeps the watermark and does not raise"
                    + " the imbalance");
        }
    }

    private boolean repairOnce(int r) {
        int bestVm = -1;
        int bestTarget = -1;
        double bestGoodness = -1e-12;
        for (int v : book.members(r)) {
            int source = placement.hostOf(v);
            if (!placement.balanced(source) || rules.checkVm(v, false) != null) {
                continue;
            }
            for (int t = 0; t < placement.hostCount(); t++) {
                if (t == source || !placement.balanced(t) || book.delta(r, v, source, t) >= 0) {
                    continue;
                }
                double goodness = placement.goodness(v, t);
                if (goodness < -1e-12 || goodness < bestGoodness
                        || (bestVm >= 0 && goodness == bestGoodness
                        && placement.vm(v).sizeKiB() >= placement.vm(bestVm).sizeKiB())) {
                    continue;
                }
                if (rules.check(v, t, false) == null) {
                    bestVm = v;
                    bestTarget = t;
                    bestGoodness = goodness;
                }
            }
        }
        if (bestVm < 0) {
            return false;
        }
        Rule rule = book.rule(r);
        Vm vm = placement.vm(bestVm);
        String why = "Repair should " + MandatoryPlanner.label(rule.type()) + " rule " + rule.id() + ": move "
                + vm.name() + " from " + placement.host(placement.hostOf(bestVm)).name() + " to "
                + placement.host(bestTarget).name() + ", which costs no balance (it does not raise the imbalance) and"
                + " breaks no other rule";
        round.recommend(bestVm, bestTarget, MoveReason.BALANCE,
                new TriggerEvidence("rule", book.violations(r), 0, 0), List.of(), why);
        return true;
    }
}
