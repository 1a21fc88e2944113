package io.memdrs.executor;

import io.memdrs.avro.MigrationEvent;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.MigrationStatus;
import java.util.Locale;

/** The {@code MigrationEvent}s a migration service publishes for a recommendation. */
public final class MigrationEvents {
    private final ExecutorSettings settings;

    public MigrationEvents(ExecutorSettings settings) {
        this.settings = settings;
    }

    public MigrationEvent skipped(MigrationRecommendation rec, String reason, long nowMillis) {
        return base(rec, CostPrediction.of(rec, settings), MigrationStatus.SKIPPED, nowMillis)
                .setReason(reason).build();
    }

    /** A dry run's SKIPPED: what would have been done, with every setting the real migration would use. */
    public MigrationEvent wouldMigrate(MigrationJob job, long nowMillis) {
        return base(job.recommendation(), job.predicted(), MigrationStatus.SKIPPED, nowMillis)
                .setDryRun(true).setReason("dry run: would migrate " + job.describe() + " " + howDescribed()
                        + "; predicted " + predictionDescribed(job.predicted()))
                .build();
    }

    public MigrationEvent started(MigrationJob job, long nowMillis) {
        return base(job.recommendation(), job.predicted(), MigrationStatus.STARTED, nowMillis)
                .setStartedAtMillis(nowMillis).build();
    }

    public MigrationEvent ended(MigrationJob job, MigrationOutcome outcome) {
        return base(job.recommendation(), job.predicted(),
                outcome.succeeded() ? MigrationStatus.SUCCEEDED : MigrationStatus.FAILED, outcome.endedAtMillis())
                .setStartedAtMillis(outcome.startedAtMillis())
                .setReason(outcome.succeeded() ? null : outcome.error())
                .setJob(outcome.job())
                .build();
    }

    /** The migration as libvirt is asked for it. */
    public String howDescribed() {
        return "(live, persistent on the target, undefined on the source" + (settings.autoConverge() ? ", auto-converge" : "")
                + ", bandwidth " + (settings.bandwidthMiBps() == 0 ? "unlimited" : settings.bandwidthMiBps() + " MiB/s")
                + ", max downtime " + settings.maxDowntime().toMillis() + " ms, deadline "
                + settings.jobDeadline().toSeconds() + " s)";
    }

    static String predictionDescribed(CostPrediction p) {
        return String.format(Locale.ROOT, "%.2f GiB in %.1f s", p.bytes() / (1024.0 * 1024 * 1024), p.durationMillis() / 1000.0);
    }

    private MigrationEvent.Builder base(MigrationRecommendation rec, CostPrediction predicted, MigrationStatus status,
                                        long atMillis) {
        return MigrationEvent.newBuilder()
                .setRecommendationId(rec.getId())
                .setCluster(rec.getCluster())
                .setVmUuid(rec.getVmUuid())
                .setVmName(rec.getVmName())
                .setSourceHost(rec.getSourceHost())
                .setTargetHost(rec.getTargetHost())
                .setStatus(status)
                .setReason(null)
                .setDryRun(false)
                .setAtMillis(atMillis)
                .setStartedAtMillis(null)
                .setPredictedBytes(predicted.bytes())
                .setPredictedDurationMillis(predicted.durationMillis())
                .setBandwidthMiBps(settings.bandwidthMiBps() == 0 ? null : settings.bandwidthMiBps())
                .setJob(null)
                .setExecutor(settings.name());
    }
}
