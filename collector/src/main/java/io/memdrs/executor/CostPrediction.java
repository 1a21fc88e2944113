package io.memdrs.executor;

import io.memdrs.avro.MigrationRecommendation;

/**
 * What a live migration is expected to cost before it starts. The DRS's own prediction, calibrated on the cluster's
 * earlier migrations, comes with the recommendation; a recommendation from a DRS older than that gets at least the
 * VM's memory copied once at the link speed the operator says the migration network has. A bandwidth cap configured
 * here stretches either to what the cap allows.
 *
 * @param bytes bytes expected to be copied
 * @param durationMillis expected duration of the copy, milliseconds
 */
public record CostPrediction(long bytes, long durationMillis) {
    private static final long MIB = 1024L * 1024;

    public static CostPrediction of(MigrationRecommendation rec, ExecutorSettings settings) {
        long bytes;
        long millis;
        if (rec.getPredictedBytes() != null && rec.getPredictedDurationMillis() != null) {
            bytes = Math.max(0, rec.getPredictedBytes());
            millis = Math.max(0, rec.getPredictedDurationMillis());
        } else {
            bytes = Math.max(0, rec.getSizeKiB()) * 1024;
            millis = atMiBps(bytes, settings.assumedLinkMiBps());
        }
        if (settings.bandwidthMiBps() > 0) {
            millis = Math.max(millis, atMiBps(bytes, settings.bandwidthMiBps()));
        }
        return new CostPrediction(bytes, millis);
    }

    private static long atMiBps(long bytes, long mibps) {
        return (long) Math.ceil(bytes * 1000.0 / (mibps * MIB));
    }
}
