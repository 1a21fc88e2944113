package io.memdrs.topics;

import java.util.List;

/** The topic names of the memdrs contracts. Every topic is keyed by cluster id. */
public final class Topics {
    /** {@code VmMemorySample} from the collectors. */
    public static final String VM_SAMPLES = "memdrs.vm-samples";
    /** {@code HostMemorySample} from the collectors. */
    public static final String HOST_SAMPLES = "memdrs.host-samples";
    /** {@code ControlEvent} from operators (kept forever, not compacted: keyed by cluster). */
    public static final String CONTROL = "memdrs.control";
    /** {@code MigrationRecommendation} for the migration service. */
    public static final String RECOMMENDATIONS = "memdrs.recommendations";
    /** {@code HostLoad} for dashboards. */
    public static final String HOST_LOAD = "memdrs.host-load";
    /** {@code BalanceReport}, one per decision round. */
    public static final String BALANCE_REPORTS = "memdrs.balance-reports";
    /** {@code MigrationEvent} from migration services: what each recommendation became, and what it cost. */
    public static final String MIGRATION_EVENTS = "memdrs.migration-events";
    /** Records that could not be read, with the reason in headers. */
    public static final String DEAD_LETTERS = "memdrs.dead-letters";

    /** Every topic memdrs reads or writes. */
    public static final List<String> ALL = List.of(VM_SAMPLES, HOST_SAMPLES, CONTROL, RECOMMENDATIONS, HOST_LOAD,
            BALANCE_REPORTS, MIGRATION_EVENTS, DEAD_LETTERS);

    private Topics() {}
}
