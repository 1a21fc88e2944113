package io.memdrs.engine;

import io.memdrs.engine.migrations.CostPrediction;
import io.memdrs.engine.waves.Wait;
import io.memdrs.engine.waves.WaveCaps;
import io.memdrs.engine.waves.WaveMove;
import io.memdrs.engine.waves.WaveSchedule;
import io.memdrs.engine.waves.WaveScheduler;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a round's whole plan into waves ({@link WaveScheduler}) and writes each move as a {@link Recommendation}, its
 * loads and σ replayed in execution order (wave by wave, plan order within a wave) from the state before the plan.
 */
final class WaveRecorder {
    private final Round round;
    private final Placement replay;
    private final Placement replayStart;
    private Placement afterFirstWave;

    /** @param start a copy of the placement before the plan's first move */
    WaveRecorder(Round round, Placement start) {
        this.round = round;
        this.replay = start;
        this.replayStart = start.copy();
    }

    List<Wave> record() {
        List<PlannedMove> plan = round.moves;
        Policy policy = round.policy;
        RuleBook book = round.rules.rules();
        List<WaveMove> moves = new ArrayList<>(plan.size());
        for (PlannedMove m : plan) {
            int[] keys = book.rulesOf(m.vm());
            int[] spread = java.util.Arrays.stream(keys).filter(r -> book.rule(r).must()
                    && book.rule(r).type() == RuleType.ANTI_AFFINITY).toArray();
            moves.add(new WaveMove(m.unit(), m.source(), m.target(), replay.vm(m.vm()).demandKiB(), keys, spread));
        }
        long[] demand = new long[replay.hostCount()];
        long[] capacity = new long[replay.hostCount()];
        for (int h = 0; h < demand.length; h++) {
            demand[h] = replay.demandKiB(h);
            capacity[h] = replay.capacityKiB(h);
        }
        WaveSchedule schedule = WaveScheduler.schedule(moves, demand, capacity, policy.highWatermark(),
                new WaveCaps(policy.maxMovesPerRound(), policy.maxOutflowPerHost(), policy.maxInflowPerHost()));
        if (schedule.waves() == 0) {
            if (!plan.isEmpty()) {
                round.notes.add("the plan has " + plan.size() + " moves, but drs.max-moves-per-round is 0: none is"
                        + " emitted");
                round.constrained = true;
            }
            return List.of();
        }
        List<Wave> waves = new ArrayList<>();
        int sequence = 0;
        for (int w = 1; w <= schedule.waves(); w++) {
            List<Recommendation> recs = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < plan.size(); i++) {
                if (schedule.waveOf()[i] == w) {
                    recs.add(write(plan.get(i), ++sequence, w, schedule.waves()));
                    bytes += replay.vm(plan.get(i).vm()).sizeKiB();
                }
            }
            waves.add(new Wave(w, recs, replay.imbalance(), bytes));
            if (w == 1) {
                afterFirstWave = replay.copy();
            }
        }
        noteWaits(schedule);
        return waves;
    }

    /** The placement once wave 1 is done (what the round emits), after {@link #record}; the start without waves. */
    Placement afterFirstWave() {
        return afterFirstWave != null ? afterFirstWave : replayStart;
    }

    private Recommendation write(PlannedMove m, int sequence, int wave, int waves) {
        Policy policy = round.policy;
        Vm vm = replay.vm(m.vm());
        int source = m.source();
        int target = m.target();
        double sourceBefore = replay.load(source);
        double targetBefore = replay.load(target);
        double sigmaBefore = replay.imbalance();
        double goodness = replay.goodness(m.vm(), target);
        replay.move(m.vm(), target);
        double sourceAfter = replay.load(source);
        double targetAfter = replay.load(target);
        double sigmaAfter = replay.imbalance();
        String src = replay.host(source).name();
        String dst = replay.host(target).name();
        CostPrediction cost = replay.snapshot().migrations().predict(src, dst, vm.sizeKiB(),
                policy.assumedMigrationMiBps());
        String explanation = m.why() + ": " + src + " " + Fmt.pct(sourceBefore) + " → " + Fmt.pct(sourceAfter) + ", "
                + dst + " " + Fmt.pct(targetBefore) + " → " + Fmt.pct(targetAfter) + ", imbalance "
                + Fmt.sigma(sigmaBefore) + " → " + Fmt.sigma(sigmaAfter) + " (target "
                + Fmt.sigma(policy.targetImbalance()) + "); moves " + Fmt.gib(vm.demandKiB()) + " of demand, copies "
                + Fmt.gib(vm.sizeKiB()) + " (" + cost.describe() + ")" + (waves > 1 ? "; wave " + wave + " of " + waves : "");
        return new Recommendation(sequence, vm.uuid(), vm.name(), src, dst, DrsEngine.priorityFor(m.reason(), goodness),
                m.reason(), vm.demandKiB(), vm.sizeKiB(), vm.confidence(), sourceBefore, sourceAfter, targetBefore,
                targetAfter, sigmaBefore, sigmaAfter, goodness, m.trigger(), m.alternatives(), explanation,
                policy.version(), round.now.plus(policy.recommendationLifetime()), cost);
    }

    /** A note on what holds moves back for later waves, and one per evacuation: how many waves, what it copies. */
    private void noteWaits(WaveSchedule schedule) {
        Policy policy = round.policy;
        List<PlannedMove> plan = round.moves;
        if (schedule.waves() > 1) {
            Map<Wait, Integer> waits = new EnumMap<>(Wait.class);
            for (int i = 0; i < plan.size(); i++) {
                if (schedule.waveOf()[i] > 1) {
                    waits.merge(schedule.waitedFor()[i], 1, Integer::sum);
                }
            }
            List<String> parts = new ArrayList<>();
            waits.forEach((why, n) -> parts.add(n + " " + describe(why)));
            round.notes.add("the whole plan takes " + schedule.waves() + " waves (per wave at most "
                    + policy.maxMovesPerRound() + " migrations, " + policy.maxOutflowPerHost() + " out and "
                    + policy.maxInflowPerHost() + " in per host); later waves wait: " + String.join(", ", parts));
        }
        for (int h = 0; h < replay.hostCount(); h++) {
            Host host = replay.host(h);
            if (!host.maintenance() || host.state() == HostState.UNKNOWN) {
                continue; // a host in maintenance that is not heard from has a note of its own
            }
            int moved = 0;
            int lastWave = 0;
            long bytes = 0;
            for (int i = 0; i < plan.size(); i++) {
                if (plan.get(i).source() == h) {
                    moved++;
                    lastWave = Math.max(lastWave, schedule.waveOf()[i]);
                    bytes += replay.vm(plan.get(i).vm()).sizeKiB();
                }
            }
            int staying = replay.vmsOn(h).length;
            if (moved == 0 && staying == 0) {
                continue;
            }
            round.notes.add("evacuation of " + host.name() + " (maintenance): " + moved + " VMs in " + lastWave
                    + (lastWave == 1 ? " wave" : " waves") + ", " + Fmt.gib(bytes) + " to copy; " + (staying == 0
                    ? "complete" : staying + " VMs cannot leave (the notes above say why)"));
        }
    }

    private static String describe(Wait why) {
        switch (why) {
            case WAVE_CAP:
                return "for the cluster-wide cap";
            case OUTFLOW_CAP:
                return "for their source's outflow cap";
            case INFLOW_CAP:
                return "for their target's inflow cap";
            case ROOM:
                return "for room that VMs leaving their target in the wave before free";
            case ORDER:
                return "behind an earlier move on the same host or rule";
            default:
                return "";
        }
    }
}
