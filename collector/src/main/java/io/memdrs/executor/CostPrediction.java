package io.memdrs.executor;

/**
 * What a live migration is expected to cost before it starts: at least the VM's memory is copied once, at the
 * configured bandwidth cap (or, without one, the link speed the operator says the migration network has).
 *
 * @param bytes bytes expected to be copied
 * @param durationMillis expected duration of the copy, milliseconds
 */
public record CostPrediction(long bytes, long durationMillis) {
    private static final long MIB = 1024L * 1024;

    public static CostPrediction of(long sizeKiB, ExecutorSettings settings) {
        long bytes = Math.max(0, sizeKiB) * 1024;
        long mibps = settings.bandwidthMiBps() > 0 ? settings.bandwidthMiBps() : settings.assumedLinkMiBps();
        return new CostPrediction(bytes, (long) Math.ceil(bytes * 1000.0 / (mibps * MIB)));
    }
}
