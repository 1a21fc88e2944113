package io.memdrs.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds what makes a snapshot unfit for planning, each problem pointing at its entry, e.g.
 * {@code vms[3] (uuid "x"): host "h9" is not in hosts}. The engine itself is lenient (it leaves such entries out with
 * a note); callers that must refuse bad input, like the what-if command, use this.
 */
public final class SnapshotValidator {

    private SnapshotValidator() {
    }

    /** The problems of the snapshot, in entry order; empty when it is fit. */
    public static List<String> problems(Snapshot snapshot) {
        List<String> problems = new ArrayList<>();
        if (snapshot.cluster().isBlank()) {
            problems.add("cluster: must not be empty");
        }
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < snapshot.hosts().size(); i++) {
            Host h = snapshot.hosts().get(i);
            String at = "hosts[" + i + "] (name \"" + h.name() + "\")";
            if (h.name().isBlank()) {
                problems.add("hosts[" + i + "]: name must not be empty");
            }
            if (!hosts.add(h.name())) {
                problems.add(at + ": duplicate host name");
            }
            if (h.memoryKiB() <= 0) {
                problems.add(at + ": memoryKiB must be positive");
            } else if (h.reservedKiB() >= h.memoryKiB()) {
                problems.add(at + ": reservedKiB " + h.reservedKiB() + " must be less than memoryKiB " + h.memoryKiB());
            }
        }
        Set<String> uuids = new HashSet<>();
        for (int i = 0; i < snapshot.vms().size(); i++) {
            Vm vm = snapshot.vms().get(i);
            String at = "vms[" + i + "] (uuid \"" + vm.uuid() + "\")";
            if (vm.uuid().isBlank()) {
                problems.add("vms[" + i + "]: uuid must not be empty");
            }
            if (!uuids.add(vm.uuid())) {
                problems.add(at + ": duplicate uuid");
            }
            if (!hosts.contains(vm.host())) {
                problems.add(at + ": host \"" + vm.host() + "\" is not in hosts");
            }
            if (vm.sizeKiB() < vm.demandKiB()) {
                problems.add(at + ": sizeKiB " + vm.sizeKiB() + " is below its demandKiB " + vm.demandKiB()
                        + " (a migration copies at least the demand; a smaller size makes its move look nearly free)");
            }
        }
        Set<String> ruleIds = new HashSet<>();
        for (int i = 0; i < snapshot.rules().size(); i++) {
            Rule rule = snapshot.rules().get(i);
            String at = "rules[" + i + "] (" + rule.type() + " \"" + rule.id() + "\")";
            if (!ruleIds.add(rule.id())) {
                problems.add(at + ": duplicate rule id");
            }
            for (String uuid : rule.vms()) {
                if (!uuids.contains(uuid)) {
                    problems.add(at + ": vm \"" + uuid + "\" is not in vms");
                }
            }
            for (String host : rule.hosts()) {
                if (!hosts.contains(host)) {
                    problems.add(at + ": host \"" + host + "\" is not in hosts");
                }
            }
            if (rule.type().betweenVms() && rule.vms().size() < 2) {
                problems.add(at + ": needs at least 2 vms");
            }
            if (!rule.type().betweenVms() && rule.vms().isEmpty()) {
                problems.add(at + ": needs at least 1 vm");
            }
            if (!rule.type().betweenVms() && rule.hosts().isEmpty()) {
                problems.add(at + ": needs at least 1 host");
            }
            if (rule.type().betweenVms() && !rule.hosts().isEmpty()) {
                problems.add(at + ": hosts are only for VM_HOST_AFFINITY and VM_HOST_ANTI_AFFINITY");
            }
            if (new HashSet<>(rule.vms()).size() != rule.vms().size()) {
                problems.add(at + ": names a vm twice");
            }
        }
        return problems;
    }
}
