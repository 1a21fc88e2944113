package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.Confidence;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Assumptions;
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
        Assumptions.assumeTrue(Lab.runningAsRoot(), "the libvirt lab needs root");
        Lab lab = Lab.ofThisRepository();
        Lab.Run up = lab.up();
        Assumptions.assumeFalse(up.failedForWantOfPackages(), () -> "lab packages unavailable: " + up.describe());
        assertTrue(up.succeeded(), up::describe);
        assertTrue(lab.awaitReady(Duration.ofSeconds(120)).succeeded(), "lab not ready");

        long realMemory = Virsh.nodeMemStatsTotalKiB(Lab.URI);
        Path node = work.resolve("td-1.xml");
        Files.writeString(node, testDriverNode());
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
                 Collector real = collector(broker, "real-1", Lab.URI, realMemory - REAL_CAPACITY_KIB);
                 Collector testDriver = collector(broker, "td-1", "test://" + node.toAbsolutePath(), 0)) {
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

    private static Collector collector(EmbeddedKafkaBroker broker, String host, String uri, long reservedKiB) {
        CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of("collector.cluster", CLUSTER,
                "collector.host", host, "collector.libvirt.uri", uri, "collector.poll.interval", "1s",
                "collector.metrics.port", "0", "collector.host.reserved-kib", Long.toString(reservedKiB),
                "kafka.bootstrap.servers", broker.bootstrapServers())));
        CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry(), "test");
        return new Collector(config, metrics, new SamplePublisher(config.kafka(), config.vmTopic(), config.hostTopic(),
                config.outageTolerance(), config.bufferRecords(), metrics), Clock.systemUTC());
    }

    private static String testDriverNode() {
        StringBuilder xml = new StringBuilder("<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>8</cores>"
                + "<threads>1</threads><active>8</active><mhz>2000</mhz><model>x86_64</model></cpu>"
                + "<memory>67108864</memory>");
        for (int i = 1; i <= 2; i++) {
            xml.append("<domain type='test'><name>td-vm-").append(i).append("</name><uuid>6d656d64-7273-4d69-7800-00000000000")
                    .append(i).append("</uuid><memory unit='KiB'>4194304</memory><currentMemory unit='KiB'>2097152</currentMemory>")
                    .append("<vcpu>1</vcpu><os><type>hvm</type></os><devices><memballoon model='virtio'>")
                    .append("<stats period='10'/></memballoon></devices></domain>");
        }
        return xml.append("</node>").toString();
    }
}
