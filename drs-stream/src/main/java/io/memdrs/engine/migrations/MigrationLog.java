package io.memdrs.engine.migrations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The migrations a cluster's migration service finished, oldest first: what calibrates the cost model and what
 * penalises a target that just failed. Pure and immutable.
 *
 * <h2>Cost model</h2>
 * A migration of a VM of size S from host a to host b is predicted to send {@code S × overhead} bytes in
 * {@code S × overhead / bandwidth}, where the copy overhead (bytes sent per byte of VM memory: above 1 when pages are
 * sent again because the guest dirtied them, below 1 when zero pages are skipped) and the effective bandwidth (bytes
 * sent per second of migration) are the sums over the last {@link #CALIBRATION_WINDOW} measured migrations a→b.
 * Without any, the migrations into b are used, then any of the cluster; without any at all, overhead 1 at the
 * configured assumed bandwidth.
 */
public final class MigrationLog {
    /** Measured migrations per host pair (or per target, or cluster) that a prediction uses, the newest. */
    public static final int CALIBRATION_WINDOW = 10;

    public static final MigrationLog EMPTY = new MigrationLog(List.of());

    private final List<FinishedMigration> migrations;

    private MigrationLog(List<FinishedMigration> migrations) {
        this.migrations = migrations;
    }

    /** The log of these migrations, in any order. */
    public static MigrationLog of(List<FinishedMigration> migrations) {
        List<FinishedMigration> sorted = new ArrayList<>(migrations);
        sorted.sort(Comparator.comparing(FinishedMigration::finishedAt));
        return new MigrationLog(List.copyOf(sorted));
    }

    /** Every migration, oldest first. */
    public List<FinishedMigration> all() {
        return migrations;
    }

    /** The latest failed migration into {@code target} that finished at or after {@code since}, if any. */
    public Optional<FinishedMigration> lastFailureInto(String target, Instant since) {
        return lastFailure(target, null, since);
    }

    /** The latest failed migration of {@code vmUuid} into {@code target} at or after {@code since}, if any. */
    public Optional<FinishedMigration> lastFailureOf(String vmUuid, String target, Instant since) {
        return lastFailure(target, vmUuid, since);
    }

    private Optional<FinishedMigration> lastFailure(String target, String vmUuid, Instant since) {
        for (int i = migrations.size() - 1; i >= 0; i--) {
            FinishedMigration m = migrations.get(i);
            if (m.finishedAt().isBefore(since)) {
                break;
            }
            if (!m.succeeded() && m.target().equals(target) && (vmUuid == null || m.vmUuid().equals(vmUuid))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The predicted cost of migrating a VM of {@code sizeKiB} from {@code source} to {@code target}.
     *
     * @param assumedMiBps the bandwidth to assume while no migration has been measured, MiB/s
     */
    public CostPrediction predict(String source, String target, long sizeKiB, double assumedMiBps) {
        long size = sizeKiB * 1024;
        List<FinishedMigration> pair = newestMeasured(m -> m.source().equals(source) && m.target().equals(target));
        String basis = "from " + count(pair.size()) + " " + source + "→" + target;
        if (pair.isEmpty()) {
            pair = newestMeasured(m -> m.target().equals(target));
            basis = "from " + count(pair.size()) + " into " + target + "; none measured " + source + "→" + target;
        }
        if (pair.isEmpty()) {
            pair = newestMeasured(m -> true);
            basis = "from " + count(pair.size()) + " in the cluster; none measured into " + target;
        }
        if (pair.isEmpty()) {
            long millis = Math.round(size / (assumedMiBps * 1048576.0) * 1000.0);
            return new CostPrediction(size, millis, 0, String.format(Locale.ROOT,
                    "at the assumed %.0f MiB/s, no migration measured yet", assumedMiBps));
        }
        Figures f = Figures.of(pair);
        double overhead = f.overhead();
        double bytesPerMilli = f.bytesPerMilli();
        long bytes = Math.round(size * overhead);
        long millis = Math.round(bytes / bytesPerMilli);
        return new CostPrediction(bytes, millis, pair.size(), basis + String.format(Locale.ROOT,
                ": %.0f MiB/s, %.2f bytes sent per byte", bytesPerMilli * 1000.0 / 1048576.0, overhead));
    }

    /**
     * The calibration of every host pair with a measured migration, ordered by source then target: the bandwidth
     * and copy overhead a prediction for that pair uses.
     */
    public List<PairCalibration> calibrations() {
        Map<String, List<FinishedMigration>> pairs = new TreeMap<>();
        for (int i = migrations.size() - 1; i >= 0; i--) {
            FinishedMigration m = migrations.get(i);
            if (m.measured()) {
                List<FinishedMigration> pair = pairs.computeIfAbsent(m.source() + '\n' + m.target(),
                        k -> new ArrayList<>());
                if (pair.size() < CALIBRATION_WINDOW) {
                    pair.add(m);
                }
            }
        }
        List<PairCalibration> calibrations = new ArrayList<>(pairs.size());
        for (List<FinishedMigration> pair : pairs.values()) {
            Figures f = Figures.of(pair);
            calibrations.add(new PairCalibration(pair.get(0).source(), pair.get(0).target(), pair.size(),
                    f.bytesPerMilli() * 1000.0, f.overhead()));
        }
        return calibrations;
    }

    /** Sums over measured migrations: bytes sent per byte of VM memory, bytes sent per millisecond. */
    private record Figures(double overhead, double bytesPerMilli) {
        static Figures of(List<FinishedMigration> measured) {
            double sent = 0;
            double sizes = 0;
            double elapsed = 0;
            for (FinishedMigration m : measured) {
                sent += m.transferredBytes();
                sizes += m.sizeKiB() * 1024.0;
                elapsed += m.elapsedMillis();
            }
            return new Figures(sent / sizes, sent / elapsed);
        }
    }

    private List<FinishedMigration> newestMeasured(Predicate<FinishedMigration> which) {
        List<FinishedMigration> found = new ArrayList<>();
        for (int i = migrations.size() - 1; i >= 0 && found.size() < CALIBRATION_WINDOW; i--) {
            FinishedMigration m = migrations.get(i);
            if (m.measured() && which.test(m)) {
                found.add(m);
            }
        }
        return found;
    }

    private static String count(int n) {
        return n == 1 ? "1 earlier migration" : n + " earlier migrations";
    }
}
