package io.memdrs.engine;

import io.memdrs.engine.migrations.MigrationLog;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one decision round looks at: the DESIGN §4 what-if snapshot plus the state the stream app keeps
 * between rounds (migration history, trigger history).
 *
 * <p>The engine is lenient with snapshots built from live data: a VM on a host that is not listed, a second VM
 * with a UUID already seen, or a rule member that is not in the snapshot is left out with a note. Use
 * {@link SnapshotValidator} to refuse such a snapshot instead.
 *
 * @param cluster cluster id
 * @param hosts the cluster's hosts
 * @param vms the VMs running on them
 * @param rules placement rules
 * @param history per VM UUID, its last migration
 * @param triggers since when the triggers have held
 * @param migrations the migrations the cluster's migration service reported finished: they calibrate the predicted
 *        cost of each move and keep balance moves off a target that just failed
 */
public record Snapshot(String cluster, List<Host> hosts, List<Vm> vms, List<Rule> rules,
        Map<String, VmHistory> history, TriggerHistory triggers, MigrationLog migrations) {

    public Snapshot {
        Objects.requireNonNull(cluster, "cluster");
        hosts = List.copyOf(hosts);
        vms = List.copyOf(vms);
        rules = List.copyOf(rules);
        history = Map.copyOf(history);
        triggers = triggers == null ? TriggerHistory.NONE : triggers;
        migrations = migrations == null ? MigrationLog.EMPTY : migrations;
    }

    /** A snapshot without reported migrations. */
    public Snapshot(String cluster, List<Host> hosts, List<Vm> vms, List<Rule> rules,
            Map<String, VmHistory> history, TriggerHistory triggers) {
        this(cluster, hosts, vms, rules, history, triggers, MigrationLog.EMPTY);
    }

    /** A snapshot without migration or trigger history. */
    public Snapshot(String cluster, List<Host> hosts, List<Vm> vms, List<Rule> rules) {
        this(cluster, hosts, vms, rules, Map.of(), TriggerHistory.NONE, MigrationLog.EMPTY);
    }

    /** The same snapshot with this migration history. */
    public Snapshot withHistory(Map<String, VmHistory> newHistory) {
        return new Snapshot(cluster, hosts, vms, rules, newHistory, triggers, migrations);
    }

    /** The same snapshot with this trigger history. */
    public Snapshot withTriggers(TriggerHistory newTriggers) {
        return new Snapshot(cluster, hosts, vms, rules, history, newTriggers, migrations);
    }

    /** The same snapshot with these reported migrations. */
    public Snapshot withMigrations(MigrationLog newMigrations) {
        return new Snapshot(cluster, hosts, vms, rules, history, triggers, newMigrations);
    }
}
