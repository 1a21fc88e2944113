package io.memdrs.engine;

/** Kinds of placement rule, as carried by the control topic. */
public enum RuleType {
    /** Keep the VMs on different hosts. */
    ANTI_AFFINITY,
    /** Keep the VMs on one host. */
    AFFINITY,
    /** Keep each VM on one of the named hosts. */
    VM_HOST_AFFINITY,
    /** Keep each VM off the named hosts. */
    VM_HOST_ANTI_AFFINITY;

    /** True for the rules that relate VMs to each other rather than to hosts. */
    public boolean betweenVms() {
        return this == ANTI_AFFINITY || this == AFFINITY;
    }
}
