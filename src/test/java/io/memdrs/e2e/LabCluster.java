package io.memdrs.e2e;

import io.memdrs.collector.Collector;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.config.ConfigSource;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A cluster around the lab: in-process collectors (one for the lab's real libvirtd, one per test-driver host) that
 * publish to a broker, as {@code memdrs collector run} would.
 */
final class LabCluster {
    private LabCluster() {}

    /** A collector for {@code host} reading {@code uri}; {@code reservedKiB} shrinks the host's capacity. */
    static Collector collector(EmbeddedKafkaBroker broker, String cluster, String host, String uri,
                               Duration pollInterval, long reservedKiB) {
        return collector(broker, cluster, host, uri, pollInterval, reservedKiB, Map.of());
    }

    /** The same with more collector settings. */
    static Collector collector(EmbeddedKafkaBroker broker, String cluster, String host, String uri,
                               Duration pollInterval, long reservedKiB, Map<String, String> more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("collector.cluster", cluster,
                "collector.host", host, "collector.libvirt.uri", uri,
                "collector.poll.interval", pollInterval.toMillis() + "ms", "collector.metrics.port", "0",
                "collector.host.reserved-kib", Long.toString(reservedKiB),
                "kafka.bootstrap.servers", broker.bootstrapServers()));
        settings.putAll(more);
        CollectorConfig config = CollectorConfig.from(ConfigSource.of(settings));
        CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry(), "test");
        return new Collector(config, metrics, new SamplePublisher(config.kafka(), config.vmTopic(), config.hostTopic(),
                config.outageTolerance(), config.bufferRecords(), metrics), Clock.systemUTC());
    }

    /**
     * Writes a libvirt test-driver node with 64 GiB and two running VMs ({@code td-vm-1}, {@code td-vm-2}: 2 GiB
     * current, a balloon with a 10 s period) to {@code file}; returns its URI.
     */
    static String testDriverNode(Path file) throws IOException {
        StringBuilder xml = new StringBuilder("<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>8</cores>"
                + "<threads>1</threads><active>8</active><mhz>2000</mhz><model>x86_64</model></cpu>"
                + "<memory>67108864</memory>");
        for (int i = 1; i <= 2; i++) {
            xml.append("<domain type='test'><name>td-vm-").append(i).append("</name><uuid>6d656d64-7273-4d69-7800-00000000000")
                    .append(i).append("</uuid><memory unit='KiB'>4194304</memory><currentMemory unit='KiB'>2097152</currentMemory>")
                    .append("<vcpu>1</vcpu><os><type>hvm</type></os><devices><memballoon model='virtio'>")
                    .append("<stats period='10'/></memballoon></devices></domain>");
        }
        Files.writeString(file, xml.append("</node>"));
        return "test://" + file.toAbsolutePath();
    }
}
