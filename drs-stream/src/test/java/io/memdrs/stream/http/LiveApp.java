package io.memdrs.stream.http;

import io.memdrs.avro.MigrationStatus;
import io.memdrs.avro.StatsHealth;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.stream.StreamApp;
import io.memdrs.topics.TopicPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/**
 * One embedded broker and one stream app (HTTP on a free loopback port, rounds every 2 s, no hold) holding two
 * clusters, shared by every test class of a run that asks for it ({@link LiveAppExtension}):
 * <ul>
 *   <li>{@code alpha}: h1 hot (six VMs of 8 GiB, two of them breaking an anti-affinity rule), h2 and h3 cool, each
 *       with one VM whose statistics cannot be used (frozen: no stats period; no balloon), h4 silent for an hour;
 *       one unreadable record on the samples topic;</li>
 *   <li>{@code beta}: two hosts, nearly balanced; the migration service reported two migrations of VMs that have
 *       gone since: z1 g1→g2 succeeded (predicted 10 s and 8 GiB, took 12.5 s and sent 6 GiB), z2 g2→g1 failed.</li>
 * </ul>
 * All samples are on the topics before the app starts, so its first round sees the whole picture.
 */
final class LiveApp implements AutoCloseable {
    static final String ALPHA = "alpha";
    static final String BETA = "beta";

    final EmbeddedKafkaBroker broker;
    final StreamApp app;
    final ApiClient api;
    final int port;
    private final Path dir;

    private LiveApp(Path dir, EmbeddedKafkaBroker broker, StreamApp app, int port) {
        this.dir = dir;
        this.broker = broker;
        this.app = app;
        this.port = port;
        this.api = new ApiClient(port);
    }

    static LiveApp start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "http-api-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"));
        try (Admin admin = broker.admin()) {
            TopicPlan.createMissing(admin, 2, (short) 1);
        }
        long now = System.currentTimeMillis();
        try (Samples samples = new Samples(broker.bootstrapServers())) {
            for (String h : new String[] {"h1", "h2", "h3"}) {
                samples.host(ALPHA, h, 64, 4, now);
            }
            samples.host(ALPHA, "h4", 64, 4, now - 3_600_000);
            for (int i = 1; i <= 6; i++) {
                samples.vm(ALPHA, "h1", "a" + i, 8, now);
            }
            samples.vm(ALPHA, "h2", "b1", 4, now);
            samples.unusableVm(ALPHA, "h2", "b2", 2, StatsHealth.STATS_PERIOD_DISABLED, Samples.FROZEN_HINT, now);
            samples.vm(ALPHA, "h3", "c1", 6, now);
            samples.unusableVm(ALPHA, "h3", "c2", 1, StatsHealth.NO_BALLOON, Samples.NO_BALLOON_HINT, now);
            samples.antiAffinity(ALPHA, "anti-affinity/web", "a1", "a2");
            samples.garbage(ALPHA);
            samples.host(BETA, "g1", 128, 8, now);
            samples.host(BETA, "g2", 128, 8, now);
            samples.vm(BETA, "g1", "x1", 10, now);
            samples.vm(BETA, "g2", "y1", 11, now);
            samples.migration(StateFixture.migration(BETA, "z1", "g1", "g2", MigrationStatus.SUCCEEDED, now - 120_000,
                    10_000, 8_192, 12_500, 6_144));
            samples.migration(StateFixture.migration(BETA, "z2", "g2", "g1", MigrationStatus.FAILED, now - 60_000,
                    10_000, 8_192, 0, 0));
        }
        int port = TestApps.freePort();
        StreamApp app = TestApps.app(broker.bootstrapServers(), "http-api-it", dir.resolve("state"), port,
                TestApps.rounds("2s"));
        app.start();
        if (!app.awaitRunning(Duration.ofSeconds(60))) {
            app.close();
            broker.close();
            throw new IllegalStateException("stream app did not reach RUNNING");
        }
        LiveApp live = new LiveApp(dir, broker, app, port);
        live.api.awaitJson("/clusters/" + ALPHA + "/recommendations",
                body -> body.get("recommendations").size() > 0, Duration.ofSeconds(60));
        return live;
    }

    @Override
    public void close() {
        app.close();
        broker.close();
        TestApps.deleteRecursively(dir);
    }
}
