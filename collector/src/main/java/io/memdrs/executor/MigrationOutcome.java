package io.memdrs.executor;

import io.memdrs.avro.MigrationJobStats;

/**
 * How a migration ended.
 *
 * @param succeeded whether the VM now runs on the target
 * @param error libvirt's error, or why the job was aborted, when it did not
 * @param startedAtMillis when libvirt was asked
 * @param endedAtMillis when libvirt returned
 * @param job libvirt's job statistics (of the completed job, else the last progress reading); null if none
 */
public record MigrationOutcome(boolean succeeded, String error, long startedAtMillis, long endedAtMillis,
                               MigrationJobStats job) {}
