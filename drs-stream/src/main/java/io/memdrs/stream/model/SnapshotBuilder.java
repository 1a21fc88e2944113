package io.memdrs.stream.model;

import io.memdrs.avro.ControlEvent;
import io.memdrs.engine.Confidence;
import io.memdrs.engine.Host;
import io.memdrs.engine.HostState;
import io.memdrs.engine.Rule;
import io.memdrs.engine.RuleType;
import io.memdrs.engine.Snapshot;
import io.memdrs.engine.TriggerHistory;
import io.memdrs.engine.Vm;
import io.memdrs.engine.VmHistory;
import io.memdrs.stream.state.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the engine's {@link Snapshot} of one cluster from the stream app's state: hosts (unknown when not heard from
 * within the stale periods), the VMs still reported, and the operator's control events (maintenance, rules,
 * do-not-move). Pure.
 */
public final class SnapshotBuilder {
    private SnapshotBuilder() {}

    /** The snapshot and which VMs were left out because their host stopped reporting them. */
    public record Result(Snapshot snapshot, List<VmState> staleVms, List<String> unknownHosts) {}

    public static Result build(String cluster, List<io.memdrs.stream.state.HostState> hosts, List<VmState> vms,
                               List<ControlEvent> controls, long nowMillis, int stalePeriods,
                               Optional<Instant> imbalanceAboveSince) {
        Set<String> maintenance = new HashSet<>();
        Set<String> doNotMove = new HashSet<>();
        List<Rule> rules = new ArrayList<>();
        for (ControlEvent c : controls) {
            if (!c.getActive()) {
                continue;
            }
            switch (c.getType()) {
                case HOST_MAINTENANCE -> maintenance.addAll(c.getHosts());
                case DO_NOT_MOVE -> doNotMove.addAll(c.getVms());
                case AFFINITY -> rules.add(new Rule(c.getRuleId(), RuleType.AFFINITY, c.getVms(), List.of(), c.getMust()));
                case ANTI_AFFINITY -> rules.add(new Rule(c.getRuleId(), RuleType.ANTI_AFFINITY, c.getVms(), List.of(), c.getMust()));
                case VM_HOST_AFFINITY -> rules.add(new Rule(c.getRuleId(), RuleType.VM_HOST_AFFINITY, c.getVms(), c.getHosts(), c.getMust()));
                case VM_HOST_ANTI_AFFINITY -> rules.add(new Rule(c.getRuleId(), RuleType.VM_HOST_ANTI_AFFINITY, c.getVms(), c.getHosts(), c.getMust()));
                default -> { }
            }
        }
        List<Host> engineHosts = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Map<String, Long> periodMillis = new HashMap<>();
        Map<String, Instant> aboveSince = new HashMap<>();
        for (io.memdrs.stream.state.HostState h : hosts) {
            long period = Math.max(1, h.getPollIntervalSeconds()) * 1000L;
            periodMillis.put(h.getHost(), period);
            boolean heard = h.getLastSampleMillis() > 0 && nowMillis - h.getLastSampleMillis() <= stalePeriods * period;
            HostState state = heard && h.getMemoryKiB() > 0 ? HostState.ACTIVE : HostState.UNKNOWN;
            if (state == HostState.UNKNOWN) {
                unknown.add(h.getHost());
            }
            engineHosts.add(new Host(h.getHost(), h.getMemoryKiB(), Math.min(h.getReservedKiB(), h.getMemoryKiB()),
                    maintenance.contains(h.getHost()), state));
            if (h.getAboveSinceMillis() > 0) {
                aboveSince.put(h.getHost(), Instant.ofEpochMilli(h.getAboveSinceMillis()));
            }
        }
        List<Vm> engineVms = new ArrayList<>();
        List<VmState> stale = new ArrayList<>();
        Map<String, VmHistory> history = new HashMap<>();
        for (VmState v : vms) {
            long period = periodMillis.getOrDefault(v.getHost(), 10_000L);
            if (nowMillis - v.getLastSampleMillis() > stalePeriods * period) {
                stale.add(v);
                continue;
            }
            boolean pending = v.getPendingUntilMillis() > nowMillis;
            // A move recommended and not yet executed is planned as done: later rounds must not answer the same
            // imbalance again. The VM itself stays put until then.
            String plannedHost = pending && v.getPendingTarget() != null && periodMillis.containsKey(v.getPendingTarget())
                    ? v.getPendingTarget() : v.getHost();
            engineVms.add(new Vm(v.getVmUuid(), v.getVmName(), plannedHost, v.getDemandKiB(), v.getSizeKiB(),
                    v.getTrusted() ? Confidence.HIGH : Confidence.LOW, !doNotMove.contains(v.getVmUuid()) && !pending,
                    v.getDirtyBytesPerSecond()));
            if (v.getLastMoveMillis() > 0 && v.getLeftHost() != null) {
                Map<String, Instant> earlier = new HashMap<>();
                v.getEarlierLeftHosts().forEach((h, at) -> earlier.put(h, Instant.ofEpochMilli(at)));
                history.put(v.getVmUuid(), new VmHistory(v.getVmUuid(), Instant.ofEpochMilli(v.getLastMoveMillis()),
                        v.getLeftHost(), earlier));
            }
        }
        Snapshot snapshot = new Snapshot(cluster, engineHosts, engineVms, rules, history,
                new TriggerHistory(imbalanceAboveSince, aboveSince));
        return new Result(snapshot, stale, unknown);
    }
}
