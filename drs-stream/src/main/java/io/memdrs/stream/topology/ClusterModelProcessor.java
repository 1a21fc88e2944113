package io.memdrs.stream.topology;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationStatus;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.schemas.RecordDecodingException;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.model.DemandModel;
import io.memdrs.stream.model.RoundRecords;
import io.memdrs.stream.state.ClusterState;
import io.memdrs.stream.state.HostState;
import io.memdrs.stream.state.VmState;
import io.memdrs.topics.DeadLetter;
import io.memdrs.topics.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Keeps the per-cluster memory model up to date, one record at a time in O(1): a VM sample updates the VM's demand
 * and its host's running sums (a VM that shows up on another host moves its demand with it: that is how executed
 * migrations are observed), a host sample updates capacity and freshness, a control event replaces the operator's
 * instruction of that id. Decision rounds run per cluster on a wall-clock schedule, or at once when a host stays
 * above the overload threshold for the hold time. Records that cannot be decoded, decode to impossible values, or are
 * not keyed by their cluster id go to the dead letters with the reason and are counted; they never touch the model.
 */
final class ClusterModelProcessor implements Processor<String, byte[], String, byte[]> {
    /** Rounds triggered by an overloaded host come at most this often (plus the hold time). */
    static final long MIN_TRIGGERED_ROUND_GAP_MILLIS = 2_000;
    /** A VM whose migration STARTED stays planned on its target this long at most, unless the service ends it. */
    static final long IN_FLIGHT_MILLIS = 30 * 60 * 1000L;

    private final DrsSettings settings;
    private final StreamSerdes serdes;
    private final DemandModel demand;
    private ProcessorContext<String, byte[]> context;
    private ClusterStores stores;
    private DecisionRound rounds;
    private Sensor deadLetters;

    ClusterModelProcessor(DrsSettings settings, StreamSerdes serdes) {
        this.settings = settings;
        this.serdes = serdes;
        this.demand = new DemandModel(settings.halfLife(), settings.peakWindow());
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.stores = new ClusterStores(context);
        this.stores.reset();
        this.rounds = new DecisionRound(settings, serdes, stores, context);
        this.deadLetters = context.metrics().addRateTotalSensor("memdrs", "dead-letters", "dead-letter",
                Sensor.RecordingLevel.INFO);
        // Each cluster's round is due one interval after its last (or after it was first seen in this life); a tick
        // checks which are due. So rounds keep their pace across a restart, and a cluster whose round fell due while
        // the app was down (or restoring) gets it at the first tick, not an interval later.
        context.schedule(DecisionRound.tick(settings.roundInterval()), PunctuationType.WALL_CLOCK_TIME, rounds::runDue);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        long now = context.currentSystemTimeMs();
        if (record.value() == null) {
            if (!topic.equals(Topics.CONTROL) && !topic.equals(Topics.MIGRATION_EVENTS)) {
                deadLetter(record, "NULL_VALUE", "value is null (a tombstone on a sample topic)");
            }
            return;
        }
        try {
            switch (topic) {
                case Topics.HOST_SAMPLES -> {
                    HostMemorySample sample = serdes.hostSample().decode(record.value());
                    Optional<String> problem = SampleValidator.problem(sample, now);
                    if (problem.isPresent()) {
                        deadLetter(record, "INVALID_VALUE", problem.get());
                    } else if (keyedByItsCluster(record, sample.getCluster())) {
                        onHostSample(sample, now);
                    }
                }
                case Topics.CONTROL -> {
                    ControlEvent event = serdes.control().decode(record.value());
                    Optional<String> problem = SampleValidator.problem(event, now);
                    if (problem.isPresent()) {
                        deadLetter(record, "INVALID_VALUE", problem.get());
                    } else if (keyedByItsCluster(record, event.getCluster())) {
                        onControl(event);
                    }
                }
                case Topics.MIGRATION_EVENTS -> {
                    MigrationEvent event = serdes.migrationEvent().decode(record.value());
                    Optional<String> problem = SampleValidator.problem(event, now);
                    if (problem.isPresent()) {
                        deadLetter(record, "INVALID_VALUE", problem.get());
                    } else if (keyedByItsCluster(record, event.getCluster())) {
                        onMigrationEvent(event);
                    }
                }
                default -> {
                    VmMemorySample sample = serdes.vmSample().decode(record.value());
                    Optional<String> problem = SampleValidator.problem(sample, now);
                    if (problem.isPresent()) {
                        deadLetter(record, "INVALID_VALUE", problem.get());
                    } else if (keyedByItsCluster(record, sample.getCluster())) {
                        onVmSample(sample);
                    }
                }
            }
        } catch (RecordDecodingException e) {
            deadLetter(record, e.failure().name(), e.getMessage());
        }
    }

    private void onVmSample(VmMemorySample sample) {
        String cluster = sample.getCluster();
        ensureCluster(cluster);
        String key = Names.key(cluster, sample.getVmUuid());
        VmState previous = stores.vms.get(cluster, key);
        if (previous != null && previous.getLastSampleMillis() > sample.getSampleTimeMillis()) {
            return; // an older poll arriving late: the model already knows better
        }
        if (previous != null && !previous.getHost().equals(sample.getHost())
                && sample.getHost().equals(previous.getLeftHost())
                && sample.getSampleTimeMillis() < previous.getLastMoveMillis()) {
            return; // polled on the source before the migration service reported the VM gone from it
        }
        VmState next = demand.next(previous, sample);
        HostState current;
        if (previous != null && previous.getHost().equals(sample.getHost())) {
            String hostKey = Names.key(cluster, sample.getHost());
            HostState h = stores.hosts.get(cluster, hostKey);
            h = h == null ? HostSums.empty(cluster, sample.getHost()) : HostSums.withVm(h, previous, -1);
            current = HostSums.withVm(h, next, 1);
            stores.hosts.put(cluster, hostKey, current);
        } else {
            if (previous != null) {
                addToHost(cluster, previous.getHost(), previous, -1);
                // An executed migration: remember where it came from, for the cooldown and the no-return rule.
                next.setEarlierLeftHosts(earlierLeftHosts(previous, sample.getSampleTimeMillis()));
                next.setLeftHost(previous.getHost());
                next.setLastMoveMillis(sample.getSampleTimeMillis());
                next.setPendingUntilMillis(0);
                next.setPendingTarget(null);
            }
            current = addToHost(cluster, sample.getHost(), next, 1);
        }
        stores.vms.put(cluster, key, next);
        checkOverload(cluster, current, context.currentSystemTimeMs());
    }

    /** The hosts a VM left within the no-return window, before the move it is making now. */
    private Map<String, Long> earlierLeftHosts(VmState previous, long now) {
        long horizon = now - settings.policy().noReturnWindow().toMillis();
        Map<String, Long> left = new HashMap<>();
        previous.getEarlierLeftHosts().forEach((host, at) -> {
            if (at >= horizon) {
                left.put(host, at);
            }
        });
        if (previous.getLeftHost() != null && previous.getLastMoveMillis() >= horizon) {
            left.merge(previous.getLeftHost(), previous.getLastMoveMillis(), Math::max);
        }
        return left;
    }

    private HostState addToHost(String cluster, String host, VmState vm, int sign) {
        String key = Names.key(cluster, host);
        HostState h = stores.hosts.get(cluster, key);
        if (h == null) {
            h = HostSums.empty(cluster, host);
        }
        HostState updated = HostSums.withVm(h, vm, sign);
        stores.hosts.put(cluster, key, updated);
        return updated;
    }

    private void onHostSample(HostMemorySample sample, long now) {
        String cluster = sample.getCluster();
        ensureCluster(cluster);
        String key = Names.key(cluster, sample.getHost());
        HostState h = stores.hosts.get(cluster, key);
        HostState updated = HostSums.withHostSample(h == null ? HostSums.empty(cluster, sample.getHost()) : h, sample);
        stores.hosts.put(cluster, key, updated);
        context.forward(new Record<>(cluster, serdes.hostLoad().encode(RoundRecords.hostLoad(updated,
                io.memdrs.avro.HostState.ACTIVE, sample.getSampleTimeMillis())), sample.getSampleTimeMillis()),
                Names.HOST_LOAD_SINK);
        checkOverload(cluster, updated, now);
    }

    /**
     * Tracks since when a host has been above the overload threshold and, once that has lasted the hold time, runs
     * a round at once (at most one such round per {@link #MIN_TRIGGERED_ROUND_GAP_MILLIS} or hold time). Called
     * after anything that changes a host's load, VM or host sample alike: samples of one poll arrive on two topics,
     * in either order.
     */
    private void checkOverload(String cluster, HostState h, long now) {
        String host = h.getHost();
        String key = Names.key(cluster, host);
        if (h.getLastSampleMillis() == 0) {
            return;
        }
        boolean over = HostSums.load(h) > settings.overloadThreshold();
        long since = h.getAboveSinceMillis();
        if (!over && since != 0) {
            h.setAboveSinceMillis(0);
            stores.hosts.put(cluster, key, h);
            return;
        }
        if (!over) {
            return;
        }
        if (since == 0) {
            since = now;
            h.setAboveSinceMillis(since);
            stores.hosts.put(cluster, key, h);
        }
        if (now - since >= settings.hold().toMillis()) {
            ClusterState cs = stores.clusters.get(cluster, cluster);
            long gap = Math.max(settings.hold().toMillis(), MIN_TRIGGERED_ROUND_GAP_MILLIS);
            if (now - cs.getLastRoundMillis() >= gap) {
                rounds.run(cluster, now, "host " + host + " above the overload threshold "
                        + Math.round(settings.overloadThreshold() * 100) + " % for " + (now - since) / 1000 + " s");
            }
        }
    }

    /**
     * What the migration service reports: a STARTED migration keeps the VM planned on its target (no round plans it
     * elsewhere meanwhile); SKIPPED and FAILED free it for the next round; SUCCEEDED moves it in the model at once,
     * so the cooldown and the no-return window start when the migration ended, not when the target's collector next
     * polls. Finished migrations are kept for the engine's cost model and its failed-target penalty.
     */
    private void onMigrationEvent(MigrationEvent event) {
        String cluster = event.getCluster();
        ensureCluster(cluster);
        String key = Names.key(cluster, event.getVmUuid());
        VmState vm = stores.vms.get(cluster, key);
        switch (event.getStatus()) {
            case STARTED -> {
                if (vm != null && vm.getHost().equals(event.getSourceHost())) {
                    vm.setPendingTarget(event.getTargetHost());
                    vm.setPendingUntilMillis(Math.max(vm.getPendingUntilMillis(), event.getAtMillis() + IN_FLIGHT_MILLIS));
                    stores.vms.put(cluster, key, vm);
                }
            }
            case SKIPPED, FAILED -> {
                if (vm != null && event.getTargetHost().equals(vm.getPendingTarget())) {
                    vm.setPendingTarget(null);
                    vm.setPendingUntilMillis(0);
                    stores.vms.put(cluster, key, vm);
                }
                if (event.getStatus() == MigrationStatus.FAILED) {
                    stores.addFinishedMigration(event);
                }
            }
            case SUCCEEDED -> {
                stores.addFinishedMigration(event);
                if (vm != null) {
                    moved(cluster, key, vm, event);
                }
            }
            default -> { }
        }
    }

    private void moved(String cluster, String key, VmState vm, MigrationEvent event) {
        long at = event.getAtMillis();
        if (vm.getHost().equals(event.getSourceHost())) {
            addToHost(cluster, vm.getHost(), vm, -1);
            vm.setEarlierLeftHosts(earlierLeftHosts(vm, at));
            vm.setHost(event.getTargetHost());
            vm.setLeftHost(event.getSourceHost());
            vm.setLastMoveMillis(at);
            vm.setPendingTarget(null);
            vm.setPendingUntilMillis(0);
            addToHost(cluster, vm.getHost(), vm, 1);
        } else if (vm.getHost().equals(event.getTargetHost()) && event.getSourceHost().equals(vm.getLeftHost())) {
            vm.setLastMoveMillis(Math.min(vm.getLastMoveMillis(), at)); // seen on the target first: the move ended earlier
        } else {
            return; // the model has the VM elsewhere already: a later move won
        }
        stores.vms.put(cluster, key, vm);
    }

    private void onControl(ControlEvent event) {
        ensureCluster(event.getCluster());
        String key = Names.key(event.getCluster(), event.getRuleId());
        if (event.getActive()) {
            stores.controls.put(key, event);
        } else {
            stores.controls.delete(key);
        }
    }

    private void ensureCluster(String cluster) {
        // Only the first sample of a cluster in this life reads its state: the store stays the truth.
        if (!rounds.seen(cluster, context.currentSystemTimeMs())) {
            return;
        }
        if (stores.clusters.get(cluster, cluster) == null) {
            stores.clusters.put(cluster, cluster, ClusterState.newBuilder().setCluster(cluster).setRound(0)
                    .setLastRoundMillis(0).setImbalanceAboveSinceMillis(0).setHistory(List.of()).build());
        }
    }

    /**
     * True when the record's key is its cluster id; otherwise it goes to the dead letters. Every memdrs topic is keyed
     * by cluster so that one task holds a whole cluster: a record keyed otherwise may sit in another partition, where
     * it would start a second, partial model of the same cluster.
     */
    private boolean keyedByItsCluster(Record<String, byte[]> record, String cluster) {
        if (cluster.equals(record.key())) {
            return true;
        }
        deadLetter(record, "KEY_MISMATCH", "key " + (record.key() == null ? "null" : "'" + record.key() + "'")
                + " is not the record's cluster '" + cluster + "': memdrs topics are keyed by cluster id");
        return false;
    }

    private void deadLetter(Record<String, byte[]> record, String failure, String reason) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        deadLetters.record();
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(),
                DeadLetter.headers(failure, reason, meta.topic(), meta.partition(), meta.offset())), Names.DEAD_LETTER_SINK);
    }
}
