package io.memdrs.engine.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MigrationLogTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final long GIB_KIB = 1024L * 1024;
    private static final long GIB = 1024L * 1024 * 1024;

    /** A migration of a VM of {@code sizeGib} that sent {@code overhead} × its size at {@code mibps}. */
    private static FinishedMigration measured(String source, String target, int minute, long sizeGib, double overhead,
                                              double mibps) {
        long sent = Math.round(sizeGib * GIB * overhead);
        long millis = Math.round(sent / (mibps * 1048576.0) * 1000);
        return new FinishedMigration("vm" + minute, source, target, true, T0.plus(Duration.ofMinutes(minute)),
                sizeGib * GIB_KIB, sent, millis, null);
    }

    private static FinishedMigration failed(String source, String target, int minute, String error) {
        return new FinishedMigration("vm" + minute, source, target, false, T0.plus(Duration.ofMinutes(minute)),
                4 * GIB_KIB, 0, 0, error);
    }

    @Test
    void shouldPredictAtTheAssumedBandwidthUntilAMigrationIsMeasured() {
        CostPrediction p = MigrationLog.EMPTY.predict("h1", "h2", 8 * GIB_KIB, 1024);
        assertEquals(8 * GIB, p.bytes());
        assertEquals(8_000, p.durationMillis());
        assertEquals(0, p.basedOn());
        assertEquals("predicted 8.0 s, at the assumed 1024 MiB/s, no migration measured yet", p.describe());
    }

    @Test
    void shouldPredictFromTheHostPairsMeasuredBandwidthAndCopyOverhead() {
        MigrationLog log = MigrationLog.of(List.of(measured("h1", "h3", 1, 4, 1.25, 100),
                measured("h1", "h3", 2, 2, 1.25, 100), measured("h2", "h3", 3, 4, 3.0, 900)));
        CostPrediction p = log.predict("h1", "h3", 8 * GIB_KIB, 1024);
        assertEquals(10 * GIB, p.bytes(), GIB / 1000.0);
        assertEquals(102_400, p.durationMillis(), 100);
        assertEquals(2, p.basedOn());
        assertTrue(p.describe().startsWith("predicted 102 s, from 2 earlier migrations h1→h3: 100 MiB/s, 1.25 bytes"),
                p.describe());
    }

    @Test
    void shouldFallBackToMigrationsIntoTheTargetThenToTheClusterSaying() {
        MigrationLog log = MigrationLog.of(List.of(measured("h2", "h3", 1, 4, 1.0, 200), measured("h2", "h4", 2, 4, 1.0, 400)));
        CostPrediction intoTarget = log.predict("h1", "h3", 4 * GIB_KIB, 1000);
        assertEquals(1, intoTarget.basedOn());
        assertTrue(intoTarget.basis().startsWith("from 1 earlier migration into h3; none measured h1→h3"), intoTarget.basis());
        assertEquals(20_480, intoTarget.durationMillis(), 50);
        CostPrediction cluster = log.predict("h1", "h5", 4 * GIB_KIB, 1000);
        assertEquals(2, cluster.basedOn());
        assertTrue(cluster.basis().startsWith("from 2 earlier migrations in the cluster; none measured into h5"), cluster.basis());
    }

    @Test
    void shouldCalibrateOnTheNewestMeasuredMigrationsOnly() {
        List<FinishedMigration> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(measured("h1", "h2", i, 4, 1.0, i < 10 ? 50 : 500)); // the link got faster after ten moves
        }
        all.add(failed("h1", "h2", 30, "libvirt: connection reset"));
        all.add(new FinishedMigration("nostats", "h1", "h2", true, T0.plus(Duration.ofMinutes(31)), 4 * GIB_KIB, 0, 0, null));
        CostPrediction p = MigrationLog.of(all).predict("h1", "h2", 5 * GIB_KIB, 1000);
        assertEquals(MigrationLog.CALIBRATION_WINDOW, p.basedOn(), "failed and unmeasured migrations do not count");
        assertEquals(10_240, p.durationMillis(), 20);
    }

    @Test
    void shouldFindTheLatestFailureIntoATargetWithinTheWindow() {
        MigrationLog log = MigrationLog.of(List.of(failed("h1", "h2", 10, "libvirt: target gone"),
                measured("h1", "h3", 20, 4, 1, 100), failed("h3", "h2", 5, "older")));
        assertEquals("libvirt: target gone", log.lastFailureInto("h2", T0).orElseThrow().error());
        assertTrue(log.lastFailureInto("h2", T0.plus(Duration.ofMinutes(11))).isEmpty(), "before the window");
        assertTrue(log.lastFailureInto("h3", T0).isEmpty(), "h3 only succeeded");
    }

    @Test
    void shouldPredictEveryMeasuredPairsOwnFiguresWhateverTheLogAroundIt() {
        Random random = new Random(16);
        for (int rep = 0; rep < 500; rep++) {
            List<FinishedMigration> all = new ArrayList<>();
            String[] hosts = {"a", "b", "c", "d"};
            double overhead = 0.3 + random.nextDouble() * 3;
            double mibps = 10 + random.nextDouble() * 2000;
            int pairMoves = 1 + random.nextInt(MigrationLog.CALIBRATION_WINDOW);
            for (int i = 0; i < 30; i++) {
                String s = hosts[random.nextInt(4)];
                String t = hosts[random.nextInt(4)];
                if (s.equals(t) || s.equals("a") && t.equals("b")) {
                    continue;
                }
                all.add(random.nextBoolean() ? measured(s, t, i, 1 + random.nextInt(64), 0.2 + random.nextDouble() * 4,
                        1 + random.nextDouble() * 3000) : failed(s, t, i, "x"));
            }
            for (int i = 0; i < pairMoves; i++) {
                all.add(measured("a", "b", 100 + random.nextInt(100), 1 + random.nextInt(64), overhead, mibps));
            }
            java.util.Collections.shuffle(all, random);
            MigrationLog log = MigrationLog.of(all);
            long size = (1 + random.nextInt(256)) * GIB_KIB;
            CostPrediction p = log.predict("a", "b", size, 1000);
            assertEquals(pairMoves, p.basedOn());
            assertEquals(size * 1024 * overhead, p.bytes(), size * 1024 * overhead * 1e-3 + 2);
            assertEquals(size * 1024 * overhead / (mibps * 1048576.0) * 1000, p.durationMillis(),
                    size * 1024 * overhead / (mibps * 1048576.0) * 10 + 2, "rep " + rep);
            for (int i = 1; i < log.all().size(); i++) {
                assertFalse(log.all().get(i).finishedAt().isBefore(log.all().get(i - 1).finishedAt()), "oldest first");
            }
        }
    }

    @Test
    void shouldReportForEveryMeasuredPairTheFiguresItsPredictionsUse() {
        Random random = new Random(17);
        String[] hosts = {"a", "b", "c", "d", "e"};
        for (int rep = 0; rep < 300; rep++) {
            List<FinishedMigration> all = new ArrayList<>();
            for (int i = 0; i < random.nextInt(60); i++) {
                String s = hosts[random.nextInt(hosts.length)];
                String t = hosts[random.nextInt(hosts.length)];
                if (!s.equals(t)) {
                    all.add(random.nextInt(3) > 0 ? measured(s, t, i, 1 + random.nextInt(64),
                            0.2 + random.nextDouble() * 4, 1 + random.nextDouble() * 3000) : failed(s, t, i, "x"));
                }
            }
            MigrationLog log = MigrationLog.of(all);
            List<PairCalibration> calibrations = log.calibrations();
            long measuredPairs = all.stream().filter(FinishedMigration::measured).map(m -> m.source() + ">" + m.target())
                    .distinct().count();
            assertEquals(measuredPairs, calibrations.size(), "one calibration per pair with a measured migration");
            String previous = "";
            for (PairCalibration c : calibrations) {
                String key = c.source() + "\n" + c.target();
                assertTrue(key.compareTo(previous) > 0, "ordered by source, then target: " + calibrations);
                previous = key;
                long size = (1 + random.nextInt(128)) * GIB_KIB;
                CostPrediction p = log.predict(c.source(), c.target(), size, 1000);
                assertEquals(c.measured(), p.basedOn());
                assertTrue(c.measured() <= MigrationLog.CALIBRATION_WINDOW);
                assertEquals(size * 1024 * c.bytesSentPerByte(), p.bytes(), 1.0);
                assertEquals(p.bytes() / c.bytesPerSecond() * 1000, p.durationMillis(), 1.0);
            }
        }
        assertEquals(List.of(), MigrationLog.EMPTY.calibrations());
    }
}
