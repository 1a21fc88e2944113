package io.memdrs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.HostLoad;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.StreamConfig;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The thin path, end to end, against whatever broker it is given: the collector polls the libvirt test driver once
 * through the real libvirt.so.0, publishes samples, the stream app turns them into a host load, and the numbers are
 * checked against what {@code virsh} reports for the same driver.
 */
final class ThinPipelineScenario {
    static final String URI = "test:///default";

    private ThinPipelineScenario() {}

    static void run(String bootstrap, Path stateDir) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicPlan.createMissing(admin, 2, (short) 1);
        }
        String cluster = "thin-" + UUID.randomUUID().toString().substring(0, 8);
        CollectorConfig collectorConfig = CollectorConfig.from(ConfigSource.of(Map.of(
                "collector.cluster", cluster, "collector.host", "node-1", "collector.libvirt.uri", URI,
                "collector.metrics.port", "0", "kafka.bootstrap.servers", bootstrap)));
        CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry(), "test");
        SamplePublisher publisher = new SamplePublisher(collectorConfig.kafka(), collectorConfig.vmTopic(),
                collectorConfig.hostTopic(), collectorConfig.outageTolerance(), collectorConfig.bufferRecords(), metrics);

        StreamConfig streamConfig = StreamConfig.from(ConfigSource.of(Map.of(
                "stream.application-id", "thin-" + UUID.randomUUID(), "stream.state-dir", stateDir.toString(),
                "stream.http.port", "0", "kafka.bootstrap.servers", bootstrap)));
        try (Collector collector = new Collector(collectorConfig, metrics, publisher, Clock.systemUTC());
             StreamApp app = new StreamApp(streamConfig, io.memdrs.stream.config.DrsSettings.defaults())) {
            app.start();
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "stream app did not reach RUNNING");

            Collector.PollReport poll = collector.pollOnce().orElseThrow();
            assertEquals(1, poll.vms().size(), "test:///default has one running domain");
            assertTrue(publisher.drain(Duration.ofSeconds(30)), "samples not acknowledged by the broker");
            assertEquals(2, metrics.samplesSent());
            assertEquals(0, metrics.samplesLost());

            List<VmMemorySample> vmSamples = Records.readUntil(bootstrap, Topics.VM_SAMPLES,
                    AvroSerde.of(VmMemorySample.class), seen -> seen.stream().anyMatch(s -> s.getCluster().equals(cluster)),
                    Duration.ofSeconds(30));
            VmMemorySample vm = vmSamples.stream().filter(s -> s.getCluster().equals(cluster)).findFirst().orElseThrow();
            List<HostLoad> loads = Records.readUntil(bootstrap, Topics.HOST_LOAD, AvroSerde.of(HostLoad.class),
                    seen -> seen.stream().anyMatch(l -> l.getCluster().equals(cluster) && l.getVmCount() == 1),
                    Duration.ofSeconds(60));
            HostLoad load = loads.stream().filter(l -> l.getCluster().equals(cluster) && l.getVmCount() == 1)
                    .findFirst().orElseThrow(() -> new AssertionError("no host load with the VM for " + cluster));

            Map<String, Long> virsh = Virsh.dommemstat(URI, "test");
            assertEquals("test", vm.getVmName());
            assertEquals(virsh.get("actual"), vm.getActualKiB());
            assertEquals(virsh.get("available"), vm.getAvailableKiB());
            assertEquals(virsh.get("unused"), vm.getUnusedKiB());
            assertEquals(virsh.get("usable"), vm.getUsableKiB());
            assertEquals(virsh.get("rss"), vm.getRssKiB());
            assertEquals(virsh.get("last_update"), vm.getLastUpdateEpochSeconds());
            assertEquals(virsh.get("disk_caches"), vm.getDiskCachesKiB());
            long expectedUsage = switch (vm.getUsageSource()) {
                case USABLE -> virsh.get("available") - virsh.get("usable");
                case UNUSED -> virsh.get("available") - virsh.get("unused");
                case HOST_RSS -> virsh.get("rss");
                case ALLOCATED -> vm.getCurrentMemoryKiB();
            };
            assertEquals(expectedUsage, vm.getUsageKiB(), "usage derived from " + vm.getUsageSource());
            assertFalse(vm.getHint().isBlank());

            long nodeMemory = Virsh.nodeMemoryKiB(URI);
            assertEquals("node-1", load.getHost());
            assertEquals(nodeMemory, load.getMemoryKiB());
            assertEquals(nodeMemory, load.getCapacityKiB(), "no memory reserved in this test");
            // The model plans with the usage when the statistics can be trusted, else with a conservative bound:
            // max(host RSS, allocation) (test:///default's domain has a balloon without a stats period).
            boolean trusted = vm.getHealth() == StatsHealth.OK || vm.getHealth() == StatsHealth.PARTIAL;
            long expectedDemand = trusted ? expectedUsage : Math.max(virsh.get("rss"), vm.getCurrentMemoryKiB());
            assertEquals(expectedDemand, load.getDemandKiB(), "host demand for a VM with " + vm.getHealth() + " stats");
            assertEquals((double) expectedDemand / nodeMemory, load.getLoad(), 1e-12);
            assertEquals(trusted ? 1 : 0, load.getVmsWithTrustedStats());
            System.out.printf("thin path: %s on %s: usage %d KiB (%s, %s) -> host load %.4f of %d KiB%n",
                    vm.getVmName(), load.getHost(), vm.getUsageKiB(), vm.getUsageSource(), vm.getHealth(),
                    load.getLoad(), load.getCapacityKiB());
        }
    }
}
