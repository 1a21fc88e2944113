package io.memdrs.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Priority-1 moves: evacuate hosts in maintenance, then correct must-rule violations. Each VM goes to the allowed
 * target that keeps the imbalance lowest, preferring targets that break no should rule and are not the host the VM
 * just left; the VMs of a must affinity rule that all run on the host in maintenance go together, to one host. A VM
 * that cannot go anywhere stays, with a note that says why.
 */
final class MandatoryPlanner {
    private final Round round;
    private final Placement placement;
    private final MoveRules rules;
    private final RuleBook book;

    MandatoryPlanner(Round round) {
        this.round = round;
        this.placement = round.placement;
        this.rules = round.rules;
        this.book = rules.rules();
    }

    void run() {
        evacuate();
        correctRules();
    }

    private void evacuate() {
        for (int h = 0; h < placement.hostCount(); h++) {
            Host host = placement.host(h);
            if (!host.maintenance()) {
                continue;
            }
            int[] onHost = placement.vmsOn(h);
            if (onHost.length == 0) {
                continue;
            }
            if (host.state() == HostState.UNKNOWN) {
                round.notes.add("host " + host.name() + " is in maintenance but not heard from: its " + onHost.length
                        + " VMs are not moved until it reports");
                round.mandatoryPending = true;
                continue;
            }
            TriggerEvidence trigger = new TriggerEvidence("maintenance", onHost.length, 0, 0);
            List<Integer> order = new ArrayList<>();
            for (int v : onHost) {
                order.add(v);
            }
            order.sort(largestFirst());
            boolean[] grouped = new boolean[placement.vmCount()];
            for (AffinityGroup group : AffinityGroup.on(book, h)) {
                evacuateTogether(group, h, trigger);
                group.vms().forEach(v -> grouped[v] = true);
            }
            for (int v : order) {
                if (grouped[v]) {
                    continue;
                }
                String what = "evacuate " + placement.vm(v).name() + " from " + host.name() + " (maintenance)";
                move(v, -1, MoveReason.MAINTENANCE_EVACUATION, trigger, what);
            }
        }
    }

    /** VM indexes by demand, largest first, then by name and UUID. */
    private Comparator<Integer> largestFirst() {
        return Comparator.<Integer>comparingLong(v -> -placement.vm(v).demandKiB())
                .thenComparing(v -> placement.vm(v).name()).thenComparing(v -> placement.vm(v).uuid());
    }

    /**
     * Evacuates a must affinity group, all on maintenance host {@code h}, together: to the one allowed host that takes
     * all of it (watermark with the summed demand, caps for all its moves, every other rule of each VM) and keeps the
     * imbalance lowest; moving the VMs one by one would break a rule at the first move, so each would stay. Largest
     * demand first. If no host takes them all, they stay, with a note that says why.
     */
    private void evacuateTogether(AffinityGroup affinity, int h, TriggerEvidence trigger) {
        List<Integer> group = new ArrayList<>(affinity.vms());
        long demand = affinity.demandKiB(placement);
        List<String> ruleIds = affinity.rules().stream().mapToObj(r -> book.rule(r).id()).toList();
        String rulesLabel = (ruleIds.size() == 1 ? "rule " : "rules ") + String.join(", ", ruleIds);
        group.sort(largestFirst());
        String names = names(group);
        String label = "must affinity group " + String.join(", ", ruleIds) + " (" + names + ")";
        for (int v : group) {
            Rejection no = rules.checkVm(v, true);
            if (no != null) {
                round.notes.add(label + " stays on " + placement.host(h).name() + ": vm " + placement.vm(v).name()
                        + " " + no.reason());
                round.mandatoryPending = true;
                round.constrained = true;
                return;
            }
        }
        List<Option> options = new ArrayList<>();
        for (int t = 0; t < placement.hostCount(); t++) {
            if (t == h || !placement.balanced(t)) {
                continue;
            }
            Rejection no = rules.checkGroupCaps(h, t, group.size());
            Rejection soft = null;
            for (int v : group) {
                if (no == null) {
                    no = rules.checkTarget(v, t, true, affinity.rules(), demand);
                }
                if (no == null && soft == null) {
                    soft = rules.checkTarget(v, t, false, affinity.rules(), demand);
                }
            }
            options.add(new Option(t, placement.goodness(h, t, demand), no, no == null ? soft : null));
        }
        options.sort(PREFERRED);
        if (options.isEmpty() || options.get(0).rejection != null) {
            StringBuilder why = new StringBuilder("no host takes all " + group.size() + " VMs");
            for (int i = 0; i < Math.min(2, options.size()); i++) {
                why.append(i == 0 ? ": " : "; ").append(options.get(i).rejection.reason());
            }
            round.notes.add(label + " stays on " + placement.host(h).name() + " (evacuate, maintenance): " + why);
            round.mandatoryPending = true;
            round.constrained = true;
            return;
        }
        Option chosen = options.get(0);
        String target = placement.host(chosen.target).name();
        int unit = round.newUnit();
        for (int v : group) {
            String others = names(group.stream().filter(o -> o != v).toList());
            String why = "Evacuate " + placement.vm(v).name() + " from " + placement.host(h).name()
                    + " (maintenance) together with " + others + " (must affinity " + rulesLabel + ") to "
                    + target + ", the allowed host for all " + group.size() + " that keeps the imbalance lowest"
                    + chosen.caveat();
            round.recommend(v, chosen.target, MoveReason.MAINTENANCE_EVACUATION, trigger, List.of(), why, unit);
        }
    }

    private String names(List<Integer> vms) {
        StringBuilder s = new StringBuilder();
        for (int v : vms) {
            s.append(s.length() == 0 ? "" : ", ").append(placement.vm(v).name());
        }
        return s.toString();
    }

    private void correctRules() {
        for (int r = 0; r < book.ruleCount(); r++) {
            Rule rule = book.rule(r);
            if (!rule.must()) {
                continue;
            }
            int violations = book.violations(r);
            if (violations == 0) {
                continue;
            }
            TriggerEvidence trigger = new TriggerEvidence("rule", violations, 0, 0);
            switch (rule.type()) {
                case ANTI_AFFINITY:
                    spread(r, trigger);
                    break;
                case AFFINITY:
                    gather(r, trigger);
                    break;
                default:
                    for (int v : book.members(r)) {
                        if (book.wrongHost(r, placement.hostOf(v))) {
                            String what = "move " + placement.vm(v).name() + " off "
                                    + placement.host(placement.hostOf(v)).name() + " to restore must "
                                    + label(rule.type()) + " rule " + rule.id();
                            move(v, r, MoveReason.RULE_VIOLATION, trigger, what);
                        }
                    }
            }
        }
    }

    private void spread(int r, TriggerEvidence trigger) {
        Rule rule = book.rule(r);
        List<Integer> crowded = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : book.hostsOf(r).entrySet()) {
            if (e.getValue() >= 2) {
                crowded.add(e.getKey());
            }
        }
        crowded.sort(Comparator.naturalOrder());
        for (int h : crowded) {
            List<Integer> together = new ArrayList<>();
            for (int v : book.members(r)) {
                if (placement.hostOf(v) == h) {
                    together.add(v);
                }
            }
            // keep the VM that is hardest to move: do-not-move first, then the largest
            together.sort(Comparator.<Integer, Boolean>comparing(v -> placement.vm(v).movable())
                    .thenComparingLong(v -> -placement.vm(v).sizeKiB()).thenComparing(v -> placement.vm(v).uuid()));
            String kept = placement.vm(together.get(0)).name();
            for (int i = together.size() - 1; i >= 1; i--) {
                int v = together.get(i);
                String what = "move " + placement.vm(v).name() + " off " + placement.host(h).name()
                        + " to restore must anti-affinity rule " + rule.id() + " (" + kept + " also runs there)";
                move(v, r, MoveReason.RULE_VIOLATION, trigger, what);
            }
        }
    }

    private void gather(int r, TriggerEvidence trigger) {
        Rule rule = book.rule(r);
        int[] members = book.members(r);
        List<Integer> hosts = new ArrayList<>(book.hostsOf(r).keySet());
        hosts.sort(Comparator.<Integer>comparingInt(h -> -book.countOn(r, h))
                .thenComparingLong(h -> -memberDemandOn(members, h)).thenComparing(Comparator.naturalOrder()));
        String why = null;
        for (int g : hosts) {
            why = gatherProblem(members, g);
            if (why != null) {
                continue;
            }
            for (int v : members) {
                if (placement.hostOf(v) == g) {
                    continue;
                }
                Rejection no = rules.check(v, g, true);
                if (no != null) {
                    note(v, "stays: " + no.reason());
                    round.mandatoryPending = true;
                    return;
                }
                String what = "move " + placement.vm(v).name() + " to " + placement.host(g).name()
                        + " to restore must affinity rule " + rule.id() + " (most of its VMs run there)";
                round.recommend(v, g, MoveReason.RULE_VIOLATION, trigger, List.of(), capitalize(what));
            }
            return;
        }
        round.notes.add("must affinity rule " + rule.id() + " stays broken: " + why);
        round.mandatoryPending = true;
        round.constrained = true;
    }

    private String gatherProblem(int[] members, int g) {
        Host host = placement.host(g);
        if (!placement.balanced(g)) {
            return host.name() + " cannot receive VMs";
        }
        long incoming = 0;
        int count = 0;
        for (int v : members) {
            if (placement.hostOf(v) != g) {
                Rejection no = rules.checkVm(v, true);
                if (no != null) {
                    return placement.vm(v).name() + " " + no.reason();
                }
                incoming += placement.vm(v).demandKiB();
                count++;
            }
        }
        double after = placement.loadWith(g, incoming);
        if (after > round.policy.highWatermark() + 1e-12) {
            return "gathering on " + host.name() + " would reach " + Fmt.pct(after) + " > high watermark "
                    + Fmt.pct(round.policy.highWatermark());
        }
        if (rules.moveCount() + count > round.policy.maxPlanMoves()) {
            return "gathering needs " + count + " moves, more than the plan's limit of "
                    + round.policy.maxPlanMoves() + " allows";
        }
        return null;
    }

    private long memberDemandOn(int[] members, int h) {
        long sum = 0;
        for (int v : members) {
            if (placement.hostOf(v) == h) {
                sum += placement.vm(v).demandKiB();
            }
        }
        return sum;
    }

    /** Moves one VM to its best allowed target; {@code fixRule} ≥ 0 requires the move to reduce that rule's violations. */
    private void move(int v, int fixRule, MoveReason reason, TriggerEvidence trigger, String what) {
        Rejection vmNo = rules.checkVm(v, true);
        if (vmNo != null) {
            note(v, "stays on " + placement.host(placement.hostOf(v)).name() + ": " + vmNo.reason());
            round.mandatoryPending = true;
            return;
        }
        Rejection capNo = rules.checkCaps(v, -1);
        if (capNo != null) {
            note(v, "waits for a later round: " + capNo.reason());
            round.mandatoryPending = true;
            round.constrained = true;
            return;
        }
        int source = placement.hostOf(v);
        List<Option> options = new ArrayList<>();
        for (int t = 0; t < placement.hostCount(); t++) {
            if (t == source || !placement.balanced(t)) {
                continue;
            }
            if (fixRule >= 0 && book.delta(fixRule, v, source, t) >= 0) {
                continue;
            }
            Rejection no = rules.checkCaps(v, t);
            if (no == null) {
                no = rules.checkTarget(v, t, true);
            }
            Rejection soft = no == null ? rules.checkTarget(v, t, false) : null;
            options.add(new Option(t, placement.goodness(v, t), no, soft));
        }
        options.sort(PREFERRED);
        if (options.isEmpty() || options.get(0).rejection != null) {
            StringBuilder why = new StringBuilder("no allowed target");
            options.sort(Comparator.comparingDouble(o -> -o.goodness));
            for (int i = 0; i < Math.min(2, options.size()); i++) {
                why.append(i == 0 ? ": " : "; ").append(options.get(i).rejection.reason());
            }
            note(v, "stays on " + placement.host(source).name() + " (" + what + "): " + why);
            round.mandatoryPending = true;
            round.constrained = true;
            return;
        }
        Option chosen = options.get(0);
        List<RejectedAlternative> alternatives = new ArrayList<>();
        Vm vm = placement.vm(v);
        double chosenSigma = placement.imbalanceIfMoved(v, chosen.target);
        for (int i = 1; i < options.size() && alternatives.size() < 3; i++) {
            Option o = options.get(i);
            String name = placement.host(o.target).name();
            if (o.rejection != null) {
                alternatives.add(new RejectedAlternative(vm.uuid(), vm.name(), name, o.rejection.kind(),
                        o.rejection.reason()));
            } else {
                alternatives.add(new RejectedAlternative(vm.uuid(), vm.name(), name, RejectionKind.LESS_BENEFIT,
                        "imbalance would be " + Fmt.sigma(placement.imbalanceIfMoved(v, o.target)) + " instead of "
                                + Fmt.sigma(chosenSigma) + (o.soft() ? ", and a balance move could not go there: "
                                + o.preference().reason() : "")));
            }
        }
        String why = capitalize(what) + " to " + placement.host(chosen.target).name()
                + ", the allowed host that keeps the imbalance lowest"
                + chosen.caveat();
        round.recommend(v, chosen.target, reason, trigger, alternatives, why);
    }

    private void note(int v, String text) {
        round.notes.add("vm " + placement.vm(v).name() + " " + text);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String label(RuleType type) {
        switch (type) {
            case ANTI_AFFINITY:
                return "anti-affinity";
            case AFFINITY:
                return "affinity";
            case VM_HOST_AFFINITY:
                return "vm-host affinity";
            default:
                return "vm-host anti-affinity";
        }
    }

    /**
     * @param rejection why the mandatory move may not go there, or null
     * @param preference why a balance move could not go there (a should rule, the no-return window, a recent
     *        failure, convergence), or null: such targets come after the others
     */
    private record Option(int target, double goodness, Rejection rejection, Rejection preference) {
        boolean soft() {
            return preference != null;
        }

        /** E.g. " (a balance move could not go there: would return to h2, …; no other host is allowed)". */
        String caveat() {
            return preference == null ? "" : " (a balance move could not go there: " + preference.reason()
                    + "; no other host is allowed)";
        }
    }

    /** Allowed targets first, then those a balance move could use too, then the most goodness, then by index. */
    private static final Comparator<Option> PREFERRED = Comparator.<Option, Boolean>comparing(o -> o.rejection != null)
            .thenComparing(Option::soft).thenComparingDouble(o -> -o.goodness).thenComparingInt(o -> o.target);
}
