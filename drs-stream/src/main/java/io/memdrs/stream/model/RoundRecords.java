package io.memdrs.stream.model;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.Confidence;
import io.memdrs.avro.HostLoad;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MoveReason;
import io.memdrs.avro.RejectedAlternative;
import io.memdrs.avro.RoundOutcome;
import io.memdrs.avro.TriggerEvidence;
import io.memdrs.engine.Plan;
import io.memdrs.engine.Recommendation;
import io.memdrs.engine.Wave;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.PlannedMove;
import io.memdrs.stream.state.PlannedWave;
import java.util.ArrayList;
import java.util.List;

/** The engine's plain results as the Avro contracts the stream app publishes. Pure. */
public final class RoundRecords {
    private RoundRecords() {}

    public static MigrationRecommendation recommendation(Plan plan, long round, Recommendation r, long createdAtMillis) {
        List<RejectedAlternative> rejected = new ArrayList<>();
        for (io.memdrs.engine.RejectedAlternative a : r.rejectedAlternatives()) {
            rejected.add(RejectedAlternative.newBuilder().setVmUuid(a.vmUuid()).setTargetHost(a.targetHost())
                    .setReason(a.reason()).build());
        }
        return MigrationRecommendation.newBuilder()
                .setId(Recommendation.id(plan.cluster(), round, r.sequence()))
                .setCluster(plan.cluster()).setRound(round).setSequence(r.sequence())
                .setCreatedAtMillis(createdAtMillis).setExpiresAtMillis(r.expiresAt().toEpochMilli())
                .setVmUuid(r.vmUuid()).setVmName(r.vmName()).setSourceHost(r.source()).setTargetHost(r.target())
                .setPriority(r.priority()).setReason(MoveReason.valueOf(r.reason().name()))
                .setDemandKiB(r.demandKiB()).setSizeKiB(r.sizeKiB())
                .setConfidence(Confidence.valueOf(r.confidence().name()))
                .setSourceLoadBefore(r.sourceLoadBefore()).setSourceLoadAfter(r.sourceLoadAfter())
                .setTargetLoadBefore(r.targetLoadBefore()).setTargetLoadAfter(r.targetLoadAfter())
                .setImbalanceBefore(r.imbalanceBefore()).setImbalanceAfter(r.imbalanceAfter())
                .setTrigger(TriggerEvidence.newBuilder().setMetric(r.trigger().metric()).setValue(r.trigger().value())
                        .setThreshold(r.trigger().threshold()).setSustainedSeconds(r.trigger().sustainedSeconds()).build())
                .setRejectedAlternatives(rejected)
                .setExplanation(r.explanation()).setPolicyVersion(r.policyVersion())
                .setPredictedBytes(r.cost().bytes()).setPredictedDurationMillis(r.cost().durationMillis())
                .setPredictionBasis(r.cost().basis())
                .build();
    }

    /** The round's report; {@code holding} turns "nothing to do" into HOLDING with the hold evidence. */
    public static BalanceReport report(Plan plan, long round, long createdAtMillis, List<String> ids,
                                       List<String> extraNotes, String holding) {
        RoundOutcome outcome = holding != null && plan.recommendations().isEmpty()
                ? RoundOutcome.HOLDING : RoundOutcome.valueOf(plan.outcome().name());
        List<String> notes = new ArrayList<>(extraNotes);
        notes.addAll(plan.notes());
        String summary = outcome == RoundOutcome.HOLDING ? holding : plan.summary();
        return BalanceReport.newBuilder()
                .setCluster(plan.cluster()).setRound(round).setCreatedAtMillis(createdAtMillis)
                .setOutcome(outcome)
                .setImbalanceBefore(plan.imbalanceBefore()).setImbalanceAfter(plan.imbalanceAfter())
                .setTargetImbalance(finite(plan.targetImbalance())).setMigrationThreshold(plan.migrationThreshold())
                .setHostCount(plan.hostCount()).setVmCount(plan.vmCount())
                .setRecommendationIds(ids).setSummary(summary).setNotes(notes)
                .setPolicyVersion(plan.policyVersion())
                .setPlanWaves(plan.waves().size()).setPlanMoves(plan.planMoves())
                .setPlanBytesToCopyKiB(plan.planBytesToCopyKiB()).setPlanImbalanceAfter(plan.planImbalanceAfter())
                .build();
    }

    /** The round's whole plan as kept in the cluster's state for the dashboard: every wave, wave 1 first. */
    public static List<PlannedWave> plannedWaves(Plan plan) {
        List<PlannedWave> waves = new ArrayList<>();
        for (Wave w : plan.waves()) {
            List<PlannedMove> moves = new ArrayList<>();
            for (Recommendation r : w.recommendations()) {
                moves.add(PlannedMove.newBuilder().setVmName(r.vmName()).setSource(r.source()).setTarget(r.target())
                        .setReason(r.reason().name()).setSizeKiB(r.sizeKiB()).build());
            }
            waves.add(PlannedWave.newBuilder().setWave(w.wave()).setImbalanceAfter(w.imbalanceAfter())
                    .setBytesToCopyKiB(w.bytesToCopyKiB()).setMoves(moves).build());
        }
        return waves;
    }

    /** The published load of a host. */
    public static HostLoad hostLoad(HostState h, io.memdrs.avro.HostState state, long computedAtMillis) {
        long capacity = Math.max(0, h.getMemoryKiB() - h.getReservedKiB());
        return HostLoad.newBuilder()
                .setCluster(h.getCluster()).setHost(h.getHost()).setComputedAtMillis(computedAtMillis)
                .setMemoryKiB(h.getMemoryKiB()).setReservedKiB(h.getReservedKiB()).setCapacityKiB(capacity)
                .setDemandKiB(h.getDemandKiB())
                .setLoad(capacity > 0 ? (double) h.getDemandKiB() / capacity : 0.0)
                .setVmCount(h.getVmCount()).setVmsWithTrustedStats(h.getTrustedVms())
                .setVmsWithUntrustedStats(h.getVmCount() - h.getTrustedVms())
                .setState(state).setLastSampleMillis(h.getLastSampleMillis())
                .build();
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : Double.MAX_VALUE;
    }
}
