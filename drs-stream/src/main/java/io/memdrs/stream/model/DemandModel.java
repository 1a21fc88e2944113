package io.memdrs.stream.model;

import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.stream.state.VmState;
import java.time.Duration;

/**
 * Turns a VM's samples into the demand the engine plans with. Trusted statistics (health OK or PARTIAL) give an
 * exponentially weighted moving average of usage with a configurable half-life, and the demand is the larger of that
 * average and the peak of the recent window: memory cannot be squeezed, so a VM is planned at what it recently needed.
 * Untrusted statistics give a conservative bound, the larger of host RSS and the allocation, and the VM is not moved
 * on that basis. Deterministic; not thread-safe (it keeps the last smoothing weight), one per stream task.
 */
public final class DemandModel {
    private final double halfLifeMillis;
    private final long peakWindowMillis;
    private double lastDt = Double.NaN;
    private double lastAlpha;

    public DemandModel(Duration halfLife, Duration peakWindow) {
        this.halfLifeMillis = halfLife.toMillis();
        this.peakWindowMillis = peakWindow.toMillis();
    }

    public static boolean trusted(VmMemorySample sample) {
        return sample.getHealth() == StatsHealth.OK || sample.getHealth() == StatsHealth.PARTIAL;
    }

    /** The conservative bound for a VM whose statistics cannot be used: max(host RSS, allocation). */
    public static long bound(VmMemorySample sample) {
        long rss = sample.getRssKiB() == null ? 0 : sample.getRssKiB();
        return Math.max(rss, sample.getCurrentMemoryKiB());
    }

    /**
     * The smoothing weight of a sample {@code dt} ms after the previous one. Samples of a VM come one poll interval
     * apart, so the last weight is kept: the same dt gives the same weight without another {@code Math.pow}.
     */
    private double alpha(double dt) {
        if (dt != lastDt) {
            lastAlpha = 1 - Math.pow(2, -dt / halfLifeMillis);
            lastDt = dt;
        }
        return lastAlpha;
    }

    /** The VM's state after {@code sample}; {@code previous} is null for a VM not seen before. */
    public VmState next(VmState previous, VmMemorySample sample) {
        long now = sample.getSampleTimeMillis();
        long usage = sample.getUsageKiB();
        double smoothed;
        long peak;
        long peakAt;
        if (previous == null || !previous.getTrusted() || !trusted(sample)) {
            smoothed = usage;
            peak = usage;
            peakAt = now;
        } else {
            double dt = Math.max(0, now - previous.getLastSampleMillis());
            double alpha = alpha(dt);
            smoothed = previous.getSmoothedKiB() + alpha * (usage - previous.getSmoothedKiB());
            boolean peakExpired = now - previous.getPeakAtMillis() > peakWindowMillis;
            if (usage >= previous.getPeakKiB() || peakExpired) {
                peak = usage;
                peakAt = now;
            } else {
                peak = previous.getPeakKiB();
                peakAt = previous.getPeakAtMillis();
            }
        }
        boolean trusted = trusted(sample);
        long bound = bound(sample);
        long demand = trusted ? Math.max(Math.round(smoothed), peak) : bound;
        // Setters on a new record rather than the builder: this runs once per sample, and the builder validates and
        // copies every field again.
        VmState next = new VmState();
        next.setCluster(previous == null ? sample.getCluster() : previous.getCluster());
        next.setVmUuid(previous == null ? sample.getVmUuid() : previous.getVmUuid());
        next.setVmName(previous != null && previous.getVmName().equals(sample.getVmName()) ? previous.getVmName()
                : sample.getVmName());
        next.setHost(previous != null && previous.getHost().equals(sample.getHost()) ? previous.getHost()
                : sample.getHost());
        next.setLastSampleMillis(now);
        next.setUsageKiB(usage);
        next.setSmoothedKiB(smoothed);
        next.setPeakKiB(peak);
        next.setPeakAtMillis(peakAt);
        next.setSizeKiB(Math.max(sample.getCurrentMemoryKiB(), sample.getActualKiB() == null ? 0 : sample.getActualKiB()));
        next.setBoundKiB(bound);
        next.setTrusted(trusted);
        next.setHealth(sample.getHealth().name());
        next.setHint(previous != null && previous.getHint().equals(sample.getHint()) ? previous.getHint()
                : sample.getHint());
        next.setDemandKiB(demand);
        next.setLeftHost(previous == null ? null : previous.getLeftHost());
        next.setLastMoveMillis(previous == null ? 0 : previous.getLastMoveMillis());
        next.setPendingUntilMillis(previous == null ? 0 : previous.getPendingUntilMillis());
        next.setPendingTarget(previous == null ? null : previous.getPendingTarget());
        next.setEarlierLeftHosts(previous == null ? java.util.Map.of() : previous.getEarlierLeftHosts());
        next.setSamples(previous == null ? 1 : previous.getSamples() + 1);
        next.setDirtyBytesPerSecond(sample.getDirtyRateBytesPerSecond() == null ? -1 : sample.getDirtyRateBytesPerSecond());
        return next;
    }
}
