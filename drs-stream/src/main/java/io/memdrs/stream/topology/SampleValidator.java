package io.memdrs.stream.topology;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import java.util.Optional;

/**
 * Refuses samples that decode but cannot be true: negative or absurd memory, a sample time far in the future.
 * Such a record must not move a VM; it goes to the dead letters like an unreadable one. Pure.
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

    private static Optional<String> time(long sampleMillis, long nowMillis) {
        if (sampleMillis > nowMillis + MAX_FUTURE_MILLIS) {
            return Optional.of("sample time " + sampleMillis + " is " + (sampleMillis - nowMillis) / 1000
                    + " s in the future (more than " + MAX_FUTURE_MILLIS / 1000 + " s of clock skew)");
        }
        return Optional.empty();
    }
}
