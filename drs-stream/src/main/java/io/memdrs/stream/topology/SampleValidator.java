package io.memdrs.stream.topology;

import io.memdrs.avro.ControlEvent;
import io.memdrs.avro.ControlType;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationJobStats;
import io.memdrs.avro.VmMemorySample;
import java.util.Optional;

/**
 * Refuses samples that decode but cannot be true: negative or absurd memory, a sample time far in the future; and
 * control events that cannot be meant. Such a record must not move a VM; it goes to the dead letters like an
 * unreadable one. Pure.
 */
public final class SampleValidator {
    /** 2^50 KiB = 1 EiB: no single host or VM comes near it. */
    public static final long MAX_KIB = 1L << 50;
    /** Clock skew tolerated between a collector and the stream app. */
    public static final long MAX_FUTURE_MILLIS = 10 * 60 * 1000L;

    private SampleValidator() {}

    public static Optional<String> problem(VmMemorySample s, long nowMillis) {
        if (s.getCluster().isEmpty() || s.getHost().isEmpty() || s.getVmUuid().isEmpty()) {
            return Optional.of("cluster, host and vmUuid must not be empty");
        }
        if (s.getUsageKiB() < 0 || s.getUsageKiB() > MAX_KIB) {
            return Optional.of("usageKiB " + s.getUsageKiB() + " is outside [0, 2^50]");
        }
        if (s.getCurrentMemoryKiB() < 0 || s.getCurrentMemoryKiB() > MAX_KIB || s.getMaxMemoryKiB() < 0
                || s.getMaxMemoryKiB() > MAX_KIB) {
            return Optional.of("memory sizes " + s.getCurrentMemoryKiB() + "/" + s.getMaxMemoryKiB()
                    + " KiB are outside [0, 2^50]");
        }
        return time(s.getSampleTimeMillis(), nowMillis);
    }

    public static Optional<String> problem(HostMemorySample s, long nowMillis) {
        if (s.getCluster().isEmpty() || s.getHost().isEmpty()) {
            return Optional.of("cluster and host must not be empty");
        }
        if (s.getMemoryKiB() <= 0 || s.getMemoryKiB() > MAX_KIB) {
            return Optional.of("memoryKiB " + s.getMemoryKiB() + " is outside (0, 2^50]");
        }
        if (s.getReservedKiB() < 0 || s.getReservedKiB() >= s.getMemoryKiB()) {
            return Optional.of("reservedKiB " + s.getReservedKiB() + " must be in [0, memoryKiB " + s.getMemoryKiB() + ")");
        }
        return time(s.getSampleTimeMillis(), nowMillis);
    }

    /**
     * An operator's instruction that cannot be meant: no cluster or rule id (the rule id is its key in the model),
     * an active rule that names no host or VM to act on, an empty name, a creation time far in the future.
     */
    public static Optional<String> problem(ControlEvent e, long nowMillis) {
        if (e.getCluster().isEmpty() || e.getRuleId().isEmpty()) {
            return Optional.of("cluster and ruleId must not be empty");
        }
        if (e.getHosts().stream().anyMatch(String::isEmpty) || e.getVms().stream().anyMatch(String::isEmpty)) {
            return Optional.of("rule " + e.getRuleId() + " names an empty host or VM");
        }
        if (e.getActive()) {
            boolean needsHosts = switch (e.getType()) {
                case HOST_MAINTENANCE, VM_HOST_AFFINITY, VM_HOST_ANTI_AFFINITY -> true;
                default -> false;
            };
            boolean needsVms = e.getType() != ControlType.HOST_MAINTENANCE && e.getType() != ControlType.UNKNOWN
                    && e.getType() != ControlType.MIGRATIONS_PAUSED;
            if (needsHosts && e.getHosts().isEmpty() || needsVms && e.getVms().isEmpty()) {
                return Optional.of("active " + e.getType() + " rule " + e.getRuleId() + " names no "
                        + (needsHosts && e.getHosts().isEmpty() ? "host" : "VM"));
            }
        }
        return time(e.getCreatedAtMillis(), nowMillis).map(p -> "created at: " + p);
    }

    /** Why a migration event is impossible, or empty. */
    public static Optional<String> problem(MigrationEvent e, long nowMillis) {
        if (e.getCluster().isEmpty() || e.getRecommendationId().isEmpty() || e.getVmUuid().isEmpty()
                || e.getSourceHost().isEmpty() || e.getTargetHost().isEmpty()) {
            return Optional.of("cluster, recommendationId, vmUuid, sourceHost and targetHost must not be empty");
        }
        if (e.getSourceHost().equals(e.getTargetHost())) {
            return Optional.of("source and target are the same host " + e.getSourceHost());
        }
        MigrationJobStats job = e.getJob();
        if (job != null && (negative(job.getDataTransferredBytes()) || negative(job.getTimeElapsedMillis())
                || negative(job.getMemoryTotalBytes()))) {
            return Optional.of("job statistics must not be negative");
        }
        return time(e.getAtMillis(), nowMillis).map(p -> "at: " + p);
    }

    private static boolean negative(Long value) {
        return value != null && value < 0;
    }

    private static Optional<String> time(long sampleMillis, long nowMillis) {
        if (sampleMillis > nowMillis + MAX_FUTURE_MILLIS) {
            return Optional.of("sample time " + sampleMillis + " is " + (sampleMillis - nowMillis) / 1000
                    + " s in the future (more than " + MAX_FUTURE_MILLIS / 1000 + " s of clock skew)");
        }
        return Optional.empty();
    }
}
