package io.memdrs.collector.model;

import io.memdrs.avro.StatsHealth;
import java.util.Objects;

/**
 * The health of one poll's balloon statistics and the fact that decided it.
 *
 * @param health the verdict
 * @param evidence the deciding fact in a few words, e.g. "last_update is 95 s old, more than 3 x period 10 s"
 * @param clockSuspect true when last_update runs ahead of the host clock: a clock (NTP) needs fixing
 * @param driverSuspect true when the guest reported values that contradict each other: its driver needs fixing
 */
record Diagnosis(StatsHealth health, String evidence, boolean clockSuspect, boolean driverSuspect) {

    Diagnosis {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(evidence, "evidence");
    }

    static Diagnosis of(StatsHealth health, String evidence) {
        return new Diagnosis(health, evidence, false, false);
    }
}
