package io.memdrs.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a plan on its snapshot with its own, independent bookkeeping and lists every broken constraint and every
 * number of a recommendation that does not match the replay. An empty list means the plan is sound.
 */
public final class PlanVerifier {
    private static final double EPS = 1e-9;

    private final Snapshot snapshot;
    private final Policy policy;
    private final Instant now;
    private final Map<String, Host> hosts = new HashMap<>();
    private final Map<String, Vm> vms = new HashMap<>();
    /** Where each VM runs as the replay goes. */
    public final Map<String, String> placement = new HashMap<>();
    private final Map<String, Long> demand = new HashMap<>();

    public PlanVerifier(Snapshot snapshot, Policy policy, Instant now) {
        this.snapshot = snapshot;
        this.policy = policy;
        this.now = now;
        for (Host h : snapshot.hosts()) {
            hosts.put(h.name(), h);
        }
        for (Vm vm : snapshot.vms()) {
            vms.put(vm.uuid(), vm);
            placement.put(vm.uuid(), vm.host());
            demand.merge(vm.host(), vm.demandKiB(), Long::sum);
        }
    }

    private void move(Vm vm, String target) {
        demand.merge(placement.get(vm.uuid()), -vm.demandKiB(), Long::sum);
        demand.merge(target, vm.demandKiB(), Long::sum);
        placement.put(vm.uuid(), target);
    }

    /** Load of the host under the replayed placement. */
    public double load(String host) {
        Host h = hosts.get(host);
        return (double) demand.getOrDefault(host, 0L) / (h.memoryKiB() - h.reservedKiB());
    }

    /** σ of the loads of active hosts outside maintenance, under the replayed placement. */
    public double sigma() {
        List<Double> loads = new ArrayList<>();
        for (Host h : snapshot.hosts()) {
            if (!h.maintenance() && h.state() == HostState.ACTIVE && h.memoryKiB() > h.reservedKiB()) {
                loads.add(load(h.name()));
            }
        }
        if (loads.isEmpty()) {
            return 0;
        }
        double mean = loads.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double ss = 0;
        for (double l : loads) {
            ss += (l - mean) * (l - mean);
        }
        return Math.sqrt(ss / loads.size());
    }

    /** Sum of the violation measures of the should rules under the replayed placement. */
    public int shouldViolations() {
        return snapshot.rules().stream().filter(r -> !r.must()).mapToInt(this::measure).sum();
    }

    /** The rule's violation measure under the replayed placement: 0 when it holds. */
    public int measure(Rule rule) {
        switch (rule.type()) {
            case ANTI_AFFINITY: {
                Map<String, Integer> count = new HashMap<>();
                for (String vm : rule.vms()) {
                    count.merge(placement.get(vm), 1, Integer::sum);
                }
                return count.values().stream().mapToInt(c -> c - 1).sum();
            }
            case AFFINITY: {
                Set<String> distinct = new HashSet<>();
                for (String vm : rule.vms()) {
                    distinct.add(placement.get(vm));
                }
                return distinct.size() - 1;
            }
            case VM_HOST_AFFINITY:
                return (int) rule.vms().stream().filter(vm -> !rule.hosts().contains(placement.get(vm))).count();
            default:
                return (int) rule.vms().stream().filter(vm -> rule.hosts().contains(placement.get(vm))).count();
        }
    }

    /** Every problem of the plan; empty when it is sound. */
    public List<String> verify(Plan plan) {
        List<String> problems = new ArrayList<>();
        check(problems, Math.abs(plan.imbalanceBefore() - sigma()) < EPS, "plan imbalanceBefore " + plan.imbalanceBefore()
                + " != " + sigma());
        Set<String> moved = new HashSet<>();
        Map<String, Integer> in = new HashMap<>();
        Map<String, Integer> out = new HashMap<>();
        check(problems, plan.waves().isEmpty() ? plan.recommendations().isEmpty()
                : plan.recommendations().equals(plan.waves().get(0).recommendations()), "recommendations are not wave 1");
        double sigmaAtStart = sigma();
        boolean allBalance = true;
        double sigmaAfterWave1 = sigmaAtStart;
        int seq = 0;
        int waveNumber = 0;
        // must affinity broken by the first moves of a group evacuation: healed by the end of the group's moves
        Map<Rule, Integer> healing = new HashMap<>();
        Recommendation groupMove = null;
        for (Wave wave : plan.waves()) {
        waveNumber++;
        check(problems, wave.wave() == waveNumber, "wave numbered " + wave.wave() + " at position " + waveNumber);
        check(problems, !wave.recommendations().isEmpty(), "wave " + waveNumber + " is empty");
        in.clear();
        out.clear();
        // while a VM migrates its demand counts on both hosts: each target's demand at the wave's start plus all that
        // arrives in the wave stays at or below the watermark
        Map<String, Long> arriving = new HashMap<>();
        for (Recommendation r : wave.recommendations()) {
            arriving.merge(r.target(), r.demandKiB(), Long::sum);
        }
        arriving.forEach((host, kib) -> {
            Host h = hosts.get(host);
            if (h != null) {
                double inFlight = (double) (demand.getOrDefault(host, 0L) + kib) / (h.memoryKiB() - h.reservedKiB());
                check(problems, inFlight <= policy.highWatermark() + EPS, "wave " + wave.wave() + ": " + host
                        + " reaches " + inFlight + " while the wave's VMs are in flight");
            }
        });
        boolean oneGroup = wave.recommendations().stream().map(r -> r.source() + ">" + r.target()).distinct().count() == 1;
        check(problems, wave.recommendations().size() <= policy.maxMovesPerRound() || oneGroup,
                "wave " + wave.wave() + " has more moves than the cluster-wide cap");
        long waveBytes = 0;
        String evacuationRun = null;
        boolean runStartsInClear = false;
        boolean runStartsOutClear = false;
        for (Recommendation r : wave.recommendations()) {
            seq++;
            waveBytes += r.sizeKiB();
            allBalance &= r.reason() == MoveReason.BALANCE;
            String at = "move " + seq + " (" + r.vmName() + " " + r.source() + "→" + r.target() + ", " + r.reason() + "): ";
            if (groupMove != null && !(r.reason() == groupMove.reason()
                    && r.source().equals(groupMove.source()) && r.target().equals(groupMove.target()))) {
                checkHealed(problems, healing, "the group moving " + groupMove.source() + "→" + groupMove.target() + ": ");
                groupMove = null;
            }
            Vm vm = vms.get(r.vmUuid());
            Host source = hosts.get(r.source());
            Host target = hosts.get(r.target());
            if (vm == null || source == null || target == null) {
                problems.add(at + "unknown vm or host");
                continue;
            }
            check(problems, r.sequence() == seq, at + "sequence " + r.sequence());
            check(problems, placement.get(vm.uuid()).equals(r.source()), at + "vm is not on the source");
            check(problems, !r.source().equals(r.target()), at + "source = target");
            check(problems, moved.add(vm.uuid()), at + "vm moves twice");
            check(problems, vm.movable(), at + "vm is do-not-move");
            check(problems, source.state() == HostState.ACTIVE, at + "source unknown");
            check(problems, !target.maintenance() && target.state() == HostState.ACTIVE
                    && target.memoryKiB() > target.reservedKiB(), at + "target not eligible");
            check(problems, r.demandKiB() == vm.demandKiB() && r.sizeKiB() == vm.sizeKiB(), at + "demand/size");
            check(problems, r.policyVersion().equals(policy.version()), at + "policy version");
            check(problems, r.expiresAt().equals(now.plus(policy.recommendationLifetime())), at + "expiry");
            check(problems, r.priority() >= 1 && r.priority() <= 5, at + "priority " + r.priority());
            check(problems, r.cost().equals(snapshot.migrations().predict(r.source(), r.target(), r.sizeKiB(),
                    policy.assumedMigrationMiBps())) && r.explanation().contains(r.cost().describe()),
                    at + "predicted cost not the migration log's, or not explained");
            check(problems, r.rejectedAlternatives().size() <= 3, at + "more than 3 alternatives");
            boolean mandatory = r.reason() == MoveReason.MAINTENANCE_EVACUATION || r.reason() == MoveReason.RULE_VIOLATION;
            check(problems, !mandatory || r.priority() == 1, at + "mandatory move not priority 1");
            check(problems, snapshot.migrations().lastFailureOf(vm.uuid(), r.target(),
                    now.minus(policy.failedTargetPenalty())).isEmpty(), at + "retried into the target that failed it");
            if (r.reason() == MoveReason.MAINTENANCE_EVACUATION) {
                check(problems, source.maintenance(), at + "evacuation from a host not in maintenance");
            }
            if (!mandatory) {
                check(problems, vm.confidence() == Confidence.HIGH, at + "LOW confidence vm moved for balance");
                check(problems, snapshot.migrations().lastFailureInto(r.target(), now.minus(policy.failedTargetPenalty()))
                        .isEmpty(), at + "balance move into a target whose migration failed within the penalty");
                io.memdrs.engine.migrations.CostPrediction pair = snapshot.migrations().predict(r.source(), r.target(),
                        1L << 20, policy.assumedMigrationMiBps());
                check(problems, vm.dirtyBytesPerSecond() <= 0 || pair.durationMillis() <= 0
                        || vm.dirtyBytesPerSecond() < pair.bytes() * 1000.0 / pair.durationMillis(),
                        at + "balance move of a VM that dirties faster than the migration copies");
                VmHistory h = snapshot.history().get(vm.uuid());
                if (h != null) {
                    Duration ago = Duration.between(h.lastMoveAt(), now);
                    check(problems, ago.compareTo(policy.cooldown()) >= 0, at + "in cooldown");
                    Instant left = h.leftAt(r.target());
                    check(problems, left == null || Duration.between(left, now).compareTo(policy.noReturnWindow()) >= 0,
                            at + "returns to a host it left");
                }
            }
            // A run of moves with one reason, source and target may be a group that cannot be split: it may exceed a
            // per-host cap when the host moves nothing else in the wave.
            String run = r.reason() != MoveReason.RULE_VIOLATION ? r.reason() + " " + r.source() + "→" + r.target() : null;
            if (run == null || !run.equals(evacuationRun)) {
                evacuationRun = run;
                runStartsInClear = run != null && in.getOrDefault(r.target(), 0) == 0;
                runStartsOutClear = run != null && out.getOrDefault(r.source(), 0) == 0;
            }
            in.merge(r.target(), 1, Integer::sum);
            out.merge(r.source(), 1, Integer::sum);
            check(problems, in.get(r.target()) <= policy.maxInflowPerHost() || runStartsInClear, at + "inflow cap");
            check(problems, out.get(r.source()) <= policy.maxOutflowPerHost() || runStartsOutClear, at + "outflow cap");
            double sigmaBefore = sigma();
            double sourceBefore = load(r.source());
            double targetBefore = load(r.target());
            Map<Rule, Integer> before = new HashMap<>();
            for (Rule rule : snapshot.rules()) {
                if (rule.vms().contains(vm.uuid())) {
                    before.put(rule, measure(rule));
                }
            }
            move(vm, r.target());
            double targetAfter = load(r.target());
            check(problems, targetAfter <= policy.highWatermark() + EPS, at + "target above watermark " + targetAfter);
            check(problems, Math.abs(r.sourceLoadBefore() - sourceBefore) < EPS
                    && Math.abs(r.sourceLoadAfter() - load(r.source())) < EPS
                    && Math.abs(r.targetLoadBefore() - targetBefore) < EPS
                    && Math.abs(r.targetLoadAfter() - targetAfter) < EPS, at + "loads do not match the replay");
            check(problems, Math.abs(r.imbalanceBefore() - sigmaBefore) < 1e-7
                    && Math.abs(r.imbalanceAfter() - sigma()) < 1e-7, at + "imbalance does not match the replay");
            boolean fixes = false;
            for (Rule rule : before.keySet()) {
                int after = measure(rule);
                // a must affinity group moves as one unit (its moves adjacent, one source, one target): broken in
                // between, healed by its last move
                if (rule.must() && r.reason() != MoveReason.RULE_VIOLATION && rule.type() == RuleType.AFFINITY
                        && (after > before.get(rule) || healing.containsKey(rule))) {
                    healing.putIfAbsent(rule, before.get(rule));
                    groupMove = r;
                } else if (rule.must()) {
                    check(problems, after <= before.get(rule), at + "breaks must rule " + rule.id());
                    fixes |= after < before.get(rule);
                } else if (!mandatory) {
                    check(problems, after <= before.get(rule), at + "breaks should rule " + rule.id());
                }
            }
            if (r.reason() == MoveReason.RULE_VIOLATION) {
                check(problems, fixes, at + "RULE_VIOLATION move fixes no must rule");
            }
            if (r.reason() == MoveReason.OVERLOAD) {
                check(problems, sourceBefore > policy.highWatermark(), at + "OVERLOAD from a host not above watermark");
            }
        }
        check(problems, Math.abs(wave.imbalanceAfter() - sigma()) < 1e-7, "wave " + wave.wave() + " imbalanceAfter "
                + wave.imbalanceAfter() + " != " + sigma());
        check(problems, wave.bytesToCopyKiB() == waveBytes, "wave " + wave.wave() + " bytes");
        if (waveNumber == 1) {
            sigmaAfterWave1 = sigma();
        }
        }
        checkHealed(problems, healing, "the last group move: ");
        if (allBalance && seq > 0) {
            // balance moves lower σ, should-rule repairs keep it: together they never raise it
            check(problems, sigma() <= sigmaAtStart + 1e-12, "a plan of BALANCE moves raises the imbalance");
        }
        check(problems, Math.abs(plan.imbalanceAfter() - sigmaAfterWave1) < 1e-7, "plan imbalanceAfter "
                + plan.imbalanceAfter() + " != σ after wave 1 " + sigmaAfterWave1);
        check(problems, Math.abs(plan.planImbalanceAfter() - sigma()) < 1e-7, "plan's σ at the end "
                + plan.planImbalanceAfter() + " != " + sigma());
        check(problems, plan.recommendations().isEmpty() == (plan.outcome() != Outcome.MOVES_RECOMMENDED),
                "outcome " + plan.outcome() + " with " + plan.recommendations().size() + " moves");
        return problems;
    }

    private void checkHealed(List<String> problems, Map<Rule, Integer> healing, String at) {
        healing.forEach((rule, before) -> check(problems, measure(rule) <= before,
                at + "leaves must rule " + rule.id() + " broken"));
        healing.clear();
    }

    private static void check(List<String> problems, boolean ok, String what) {
        if (!ok) {
            problems.add(what);
        }
    }
}
