package io.memdrs.engine;

/** Whether the stream app hears from a host. Maintenance is a separate flag of {@link Host}. */
public enum HostState {
    /** Reporting: takes part in balancing. */
    ACTIVE,
    /**
     * Not heard from within 3 poll periods: never a target, its VMs are not moved, and it is left out of the
     * imbalance (its load is not known).
     */
    UNKNOWN
}
