package io.memdrs.stream.topology;

import io.memdrs.avro.BalanceReport;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.engine.DrsEngine;
import io.memdrs.engine.Host;
import io.memdrs.engine.HostState;
import io.memdrs.engine.Plan;
import io.memdrs.engine.Policy;
import io.memdrs.engine.Recommendation;
import io.memdrs.engine.Snapshot;
import io.memdrs.engine.TriggerHistory;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.model.FinishedMigrations;
import io.memdrs.stream.model.RoundRecords;
import io.memdrs.stream.model.SnapshotBuilder;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.ImbalancePoint;
import io.memdrs.stream.state.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One decision round of one cluster: drop VMs no longer reported, build the engine's snapshot from the stores, gate
 * balancing by the hold time (hysteresis: mandatory moves never wait), plan, and publish the recommendations, one
 * balance report (also when nothing is recommended, saying why) and every host's load. The round counter lives in
 * a store, so after a crash the re-run round yields the same recommendation ids (exactly-once aborts the first try).
 */
final class DecisionRound {
    static final int HISTORY_LENGTH = 120;

    private final DrsSettings settings;
    private final StreamSerdes serdes;
    private final ClusterStores stores;
    private final ProcessorContext<String, byte[]> context;
    private final Sensor roundsSensor;
    private final Sensor movesSensor;
    private final Map<String, Long> firstSeen = new HashMap<>();

    DecisionRound(DrsSettings settings, StreamSerdes serdes, ClusterStores stores, ProcessorContext<String, byte[]> context) {
        this.settings = settings;
        this.serdes = serdes;
        this.stores = stores;
        this.context = context;
        this.roundsSensor = context.metrics().addRateTotalSensor("memdrs", "decision-rounds", "round",
                Sensor.RecordingLevel.INFO);
        this.movesSensor = context.metrics().addRateTotalSensor("memdrs", "decision-rounds", "recommendation",
                Sensor.RecordingLevel.INFO);
    }

    /** How often to check which clusters' rounds are due: a second, or the interval when it is shorter. */
    static java.time.Duration tick(java.time.Duration interval) {
        return interval.compareTo(java.time.Duration.ofSeconds(1)) < 0 ? interval : java.time.Duration.ofSeconds(1);
    }

    /**
     * Notes when this life of the task first saw {@code cluster} (a cluster never rounded is due an interval later);
     * true the first time.
     */
    boolean seen(String cluster, long now) {
        return firstSeen.putIfAbsent(cluster, now) == null;
    }

    /** Runs the round of every cluster due: one round interval after its last round (or after it was first seen). */
    void runDue(long now) {
        long interval = settings.roundInterval().toMillis();
        // Ticks fire a little late, by varying amounts: a round due within half a tick counts as due, or a round
        // that ran on a late tick would often wait a whole extra tick for the next.
        long slack = tick(settings.roundInterval()).toMillis() / 2;
        for (String cluster : stores.clusterIds()) {
            ClusterState cs = stores.clusters.get(cluster, cluster);
            long last = cs.getLastRoundMillis();
            long due = (last > 0 ? last : firstSeen.computeIfAbsent(cluster, c -> now)) + interval;
            if (now + slack >= due) {
                run(cluster, now, "scheduled round");
            }
        }
    }

    void run(String cluster, long now, String why) {
        ClusterState cs = stores.clusters.get(cluster, cluster);
        List<String> notes = new ArrayList<>();
        notes.add("trigger: " + why);
        dropStaleVms(cluster, now, notes);

        Optional<Instant> imbalanceSince = cs.getImbalanceAboveSinceMillis() > 0
                ? Optional.of(Instant.ofEpochMilli(cs.getImbalanceAboveSinceMillis())) : Optional.empty();
        SnapshotBuilder.Result built = SnapshotBuilder.build(cluster, stores.hostsOf(cluster), stores.vmsOf(cluster),
                stores.controlsOf(cluster), now, settings.stalePeriods(), imbalanceSince);
        built.unknownHosts().forEach(h -> notes.add("host " + h + " unknown: no sample within "
                + settings.stalePeriods() + " poll periods; never a target, its VMs not moved"));
        Map<String, Long> sizes = new HashMap<>();
        stores.vmsOf(cluster).forEach(v -> sizes.put(v.getVmUuid(), v.getSizeKiB()));
        Snapshot snapshot = built.snapshot().withMigrations(FinishedMigrations.log(stores.migrationsOf(cluster), sizes));

        Policy policy = settings.policy();
        double imbalance = imbalance(snapshot);
        long since = imbalance > policy.targetImbalance()
                ? (cs.getImbalanceAboveSinceMillis() > 0 ? cs.getImbalanceAboveSinceMillis() : now) : 0;
        boolean overloadHeld = snapshot.triggers().hostAboveWatermarkSince().values().stream()
                .anyMatch(t -> now - t.toEpochMilli() >= settings.hold().toMillis());
        boolean imbalanceHeld = since > 0 && now - since >= settings.hold().toMillis();
        String holding = null;
        Policy used = policy;
        if (since > 0 && !imbalanceHeld && !overloadHeld) {
            used = policy.toBuilder().migrationThreshold(1).build();
            holding = String.format("holding: imbalance %.3f above target %.3f for %d s of the %d s hold; only "
                    + "mandatory moves this round", imbalance, policy.targetImbalance(), (now - since) / 1000,
                    settings.hold().toSeconds());
        }
        snapshot = snapshot.withTriggers(new TriggerHistory(since > 0 ? Optional.of(Instant.ofEpochMilli(since))
                : Optional.empty(), snapshot.triggers().hostAboveWatermarkSince()));
        Plan plan = DrsEngine.plan(snapshot, used, Instant.ofEpochMilli(now));

        long round = cs.getRound() + 1;
        for (MigrationRecommendation old : stores.recommendationsOf(cluster)) {
            if (old.getExpiresAtMillis() <= now) {
                stores.recommendations.delete(Names.key(cluster, old.getId()));
            }
        }
        List<String> ids = new ArrayList<>();
        for (Recommendation r : plan.recommendations()) {
            MigrationRecommendation record = RoundRecords.recommendation(plan, round, r, now);
            ids.add(record.getId());
            stores.recommendations.put(Names.key(cluster, record.getId()), record);
            context.forward(new Record<>(cluster, serdes.recommendation().encode(record), now), Names.RECOMMENDATION_SINK);
            markPending(cluster, r);
            movesSensor.record();
        }
        BalanceReport report = RoundRecords.report(plan, round, now, ids, notes, holding);
        if (holding != null) {
            report.setTargetImbalance(policy.targetImbalance());
            report.setMigrationThreshold(policy.migrationThreshold());
        }
        context.forward(new Record<>(cluster, serdes.balanceReport().encode(report), now), Names.BALANCE_REPORT_SINK);
        publishHostLoads(cluster, snapshot, now);
        roundsSensor.record();

        List<ImbalancePoint> history = new ArrayList<>(cs.getHistory());
        history.add(ImbalancePoint.newBuilder().setTimeMillis(now).setImbalanceBefore(plan.imbalanceBefore())
                .setImbalanceAfter(plan.imbalanceAfter()).setMoves(plan.recommendations().size()).build());
        if (history.size() > HISTORY_LENGTH) {
            history = new ArrayList<>(history.subList(history.size() - HISTORY_LENGTH, history.size()));
        }
        cs.setRound(round);
        cs.setLastRoundMillis(now);
        cs.setImbalanceAboveSinceMillis(since);
        cs.setHistory(history);
        cs.setPlan(RoundRecords.plannedWaves(plan));
        stores.clusters.put(cluster, cluster, cs);
    }

    /** Population standard deviation of the loads of active hosts not in maintenance (as the engine counts it). */
    static double imbalance(Snapshot snapshot) {
        Map<String, Long> demand = new HashMap<>();
        snapshot.vms().forEach(vm -> demand.merge(vm.host(), vm.demandKiB(), Long::sum));
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (Host h : snapshot.hosts()) {
            if (h.maintenance() || h.state() != HostState.ACTIVE || h.capacityKiB() <= 0) {
                continue;
            }
            double load = (double) demand.getOrDefault(h.name(), 0L) / h.capacityKiB();
            sum += load;
            sumSq += load * load;
            n++;
        }
        if (n == 0) {
            return 0;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    }

    private void dropStaleVms(String cluster, long now, List<String> notes) {
        Map<String, Long> periodMillis = new HashMap<>();
        stores.hostsOf(cluster).forEach(h -> periodMillis.put(h.getHost(), Math.max(1, h.getPollIntervalSeconds()) * 1000L));
        for (VmState vm : stores.vmsOf(cluster)) {
            long period = periodMillis.getOrDefault(vm.getHost(), 10_000L);
            if (now - vm.getLastSampleMillis() > settings.stalePeriods() * period) {
                stores.vms.delete(cluster, Names.key(cluster, vm.getVmUuid()));
                String hostKey = Names.key(cluster, vm.getHost());
                var host = stores.hosts.get(cluster, hostKey);
                if (host != null) {
                    stores.hosts.put(cluster, hostKey, HostSums.withVm(host, vm, -1));
                }
                notes.add("VM " + vm.getVmName() + " dropped: not reported by " + vm.getHost() + " for "
                        + (now - vm.getLastSampleMillis()) / 1000 + " s");
            }
        }
    }

    private void markPending(String cluster, Recommendation r) {
        String key = Names.key(cluster, r.vmUuid());
        VmState vm = stores.vms.get(cluster, key);
        if (vm != null) {
            vm.setPendingUntilMillis(r.expiresAt().toEpochMilli());
            vm.setPendingTarget(r.target());
            stores.vms.put(cluster, key, vm);
        }
    }

    private void publishHostLoads(String cluster, Snapshot snapshot, long now) {
        Map<String, Host> byName = new HashMap<>();
        snapshot.hosts().forEach(h -> byName.put(h.name(), h));
        for (var h : stores.hostsOf(cluster)) {
            Host engineHost = byName.get(h.getHost());
            io.memdrs.avro.HostState state = engineHost == null || engineHost.state() == HostState.UNKNOWN
                    ? io.memdrs.avro.HostState.UNKNOWN
                    : engineHost.maintenance() ? io.memdrs.avro.HostState.MAINTENANCE : io.memdrs.avro.HostState.ACTIVE;
            context.forward(new Record<>(cluster, serdes.hostLoad().encode(RoundRecords.hostLoad(h, state, now)), now),
                    Names.HOST_LOAD_SINK);
        }
    }
}
