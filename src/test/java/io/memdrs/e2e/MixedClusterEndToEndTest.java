package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.Confidence;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.Collector;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with a real hypervisor in it: the lab's libvirtd + QEMU guests (host "real-1") and a libvirt
 * test-driver host ("td-1") in one cluster, a collector each, the embedded broker, the stream app. The real host is
 * given a small capacity so that it is overloaded; the recommendation that relieves it moves a real guest, and its
 * demand is traced back to that guest's balloon statistics as libvirt reports them.
 */
@Tag("integration")
class MixedClusterEndToEndTest {
    private static final String CLUSTER = "mixed";
    private static final long REAL_CAPACITY_KIB = 300 * 1024;

    @TempDir
    Path work;

    @Test
    void shouldRecommendMovingARealGuestWithNumbersTracedToItsBalloonStats() throws Exception {
        Lab.readyOrSkip();

        long realMemory = Virsh.nodeMemStatsTotalKiB(Lab.URI);
        String testDriverUri = LabCluster.testDriverNode(work.resolve("td-1.xml"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 2, (short) 1);
            }
            StreamConfig streamConfig = StreamConfig.from(ConfigSource.of(Map.of("stream.application-id", "mixed",
                    "stream.state-dir", work.resolve("state").toString(), "stream.http.port", "0",
                    "kafka.bootstrap.servers", broker.bootstrapServers())));
            DrsSettings drs = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "2s", "drs.hold", "0s",
                    "drs.demand.half-life", "1s", "drs.demand.peak-window", "0s")));
            try (StreamApp app = new StreamApp(streamConfig, drs);
                 Collector real = LabCluster.collector(broker, CLUSTER, "real-1", Lab.URI, Duration.ofSeconds(1),
                         realMemory - REAL_CAPACITY_KIB);
                 Collector testDriver = LabCluster.collector(broker, CLUSTER, "td-1", testDriverUri,
                         Duration.ofSeconds(1), 0)) {
                app.start();
                assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
                real.start();
                testDriver.start();

                AvroSerde<MigrationRecommendation> recSerde = AvroSerde.of(MigrationRecommendation.class);
                List<MigrationRecommendation> recs = Records.readUntil(broker.bootstrapServers(), Topics.RECOMMENDATIONS,
                        recSerde, seen -> seen.stream().anyMatch(r -> r.getSourceHost().equals("real-1")),
                        Duration.ofSeconds(90));
                MigrationRecommendation rec = recs.stream().filter(r -> r.getSourceHost().equals("real-1"))
                        .findFirst().orElseThrow(() -> new AssertionError("no recommendation off the real host: " + recs
                                + "; last round: " + lastReport(broker)));
                assertEquals("td-1", rec.getTargetHost());
                assertTrue(rec.getVmName().startsWith("memdrs-lab-"), rec.getVmName());

                List<VmMemorySample> samples = Records.readUntil(broker.bootstrapServers(), Topics.VM_SAMPLES,
                        AvroSerde.of(VmMemorySample.class), seen -> false, Duration.ofSeconds(5)).stream()
                        .filter(s -> s.getVmUuid().equals(rec.getVmUuid()) && s.getSampleTimeMillis() <= rec.getCreatedAtMillis())
                        .toList();
                assertTrue(samples.size() >= 1, "samples of " + rec.getVmName());
                long minUsage = Long.MAX_VALUE;
                long maxUsage = 0;
                for (VmMemorySample s : samples) {
                    long fromBalloon = switch (s.getUsageSource()) {
                        case USABLE -> s.getAvailableKiB() - s.getUsableKiB();
                        case UNUSED -> s.getAvailableKiB() - s.getUnusedKiB();
                        case HOST_RSS -> s.getRssKiB();
                        case ALLOCATED -> s.getCurrentMemoryKiB();
                    };
                    assertEquals(fromBalloon, s.getUsageKiB(), "usage of " + s.getVmName() + " from its balloon stats");
                    long counted = rec.getConfidence() == Confidence.HIGH ? s.getUsageKiB()
                            : Math.max(s.getRssKiB() == null ? 0 : s.getRssKiB(), s.getCurrentMemoryKiB());
                    minUsage = Math.min(minUsage, counted);
                    maxUsage = Math.max(maxUsage, counted);
                }
                assertTrue(rec.getDemandKiB() >= minUsage && rec.getDemandKiB() <= maxUsage, "demand "
                        + rec.getDemandKiB() + " KiB outside what the guest reported, " + minUsage + ".." + maxUsage);
                assertTrue(rec.getSourceLoadBefore() > drs.overloadThreshold(), "source load " + rec.getSourceLoadBefore());
                assertEquals(rec.getSourceLoadBefore() - rec.getSourceLoadAfter(),
                        (double) rec.getDemandKiB() / REAL_CAPACITY_KIB, 1e-6, "the move takes the VM's demand off the real host");
                VmMemorySample last = samples.get(samples.size() - 1);
                Map<String, Long> virsh = Virsh.dommemstat(Lab.URI, rec.getVmName());
                System.out.printf("mixed cluster: %s (%s, %s) real-1 -> td-1, demand %d KiB (guest reported %d..%d KiB; "
                                + "last sample available %s usable %s rss %s; virsh now %s), real-1 load %.2f -> %.2f%n",
                        rec.getVmName(), rec.getReason(), rec.getConfidence(), rec.getDemandKiB(), minUsage, maxUsage,
                        last.getAvailableKiB(), last.getUsableKiB(), last.getRssKiB(), virsh, rec.getSourceLoadBefore(),
                        rec.getSourceLoadAfter());
                assertEquals(virsh.get("actual"), last.getActualKiB(), "balloon size as virsh reports it");
            }
        }
    }

    private static String lastReport(EmbeddedKafkaBroker broker) {
        List<io.memdrs.avro.BalanceReport> reports = Records.readUntil(broker.bootstrapServers(), Topics.BALANCE_REPORTS,
                AvroSerde.of(io.memdrs.avro.BalanceReport.class), seen -> false, Duration.ofSeconds(3));
        return reports.isEmpty() ? "none" : reports.get(reports.size() - 1).toString();
    }
}
