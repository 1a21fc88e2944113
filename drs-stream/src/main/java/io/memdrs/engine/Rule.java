package io.memdrs.engine;

import java.util.List;
import java.util.Objects;

/**
 * A placement rule.
 *
 * <p>Must rules are hard: a balance move never breaks one, and a violation found in a snapshot is corrected with
 * priority 1. Should rules are preferences followed when that costs nothing: a balance move never breaks one, but
 * violations are not corrected and a mandatory move may break one when no other target exists.
 *
 * @param id identity of the rule in the cluster (the control topic's rule id), used in explanations
 * @param type kind of rule
 * @param vms UUIDs of the VMs it applies to
 * @param hosts host names, for {@link RuleType#VM_HOST_AFFINITY} and {@link RuleType#VM_HOST_ANTI_AFFINITY}
 * @param must true for a hard rule
 */
public record Rule(String id, RuleType type, List<String> vms, List<String> hosts, boolean must) {

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        vms = List.copyOf(vms);
        hosts = List.copyOf(hosts);
    }

    /** A must rule keeping the VMs on different hosts. */
    public static Rule antiAffinity(String id, String... vms) {
        return new Rule(id, RuleType.ANTI_AFFINITY, List.of(vms), List.of(), true);
    }

    /** A must rule keeping the VMs on one host. */
    public static Rule affinity(String id, String... vms) {
        return new Rule(id, RuleType.AFFINITY, List.of(vms), List.of(), true);
    }

    /** A must rule keeping the VMs on the hosts. */
    public static Rule vmHostAffinity(String id, List<String> vms, List<String> hosts) {
        return new Rule(id, RuleType.VM_HOST_AFFINITY, vms, hosts, true);
    }

    /** A must rule keeping the VMs off the hosts. */
    public static Rule vmHostAntiAffinity(String id, List<String> vms, List<String> hosts) {
        return new Rule(id, RuleType.VM_HOST_ANTI_AFFINITY, vms, hosts, true);
    }

    /** The same rule as a should rule. */
    public Rule asShould() {
        return new Rule(id, type, vms, hosts, false);
    }
}
