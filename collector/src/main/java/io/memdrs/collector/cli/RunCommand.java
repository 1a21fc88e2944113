package io.memdrs.collector.cli;

import io.memdrs.collector.Collector;
import io.memdrs.collector.CollectorVersion;
import io.memdrs.collector.config.CollectorConfig;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.metrics.MetricsServer;
import io.memdrs.collector.publish.SamplePublisher;
import io.memdrs.collector.vmseries.VmSeries;
import io.memdrs.config.ConfigSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memdrs collector run --config FILE}: the daemon. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Poll libvirt every collector.poll.interval and publish samples to Kafka until stopped.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Properties file: collector.* and kafka.* keys; MEMDRS_* environment variables override it.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        java.util.Optional<String> noLibvirt = io.memdrs.collector.libvirt.LibvirtLibrary.missing();
        if (noLibvirt.isPresent()) {
            System.err.println("memdrs collector: " + noLibvirt.get());
            return ExitCodes.USAGE;
        }
        CollectorConfig cfg = CollectorConfig.from(ConfigSource.load(config, System.getenv(), "collector.", "kafka."));
        log.info("memdrs collector {} starting with {}", CollectorVersion.get(), cfg);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CollectorMetrics metrics = new CollectorMetrics(registry, CollectorVersion.get());
        MetricsServer metricsServer = cfg.metricsPort() == 0 ? null
                : new MetricsServer(registry, cfg.metricsBind(), cfg.metricsPort());
        SamplePublisher publisher = new SamplePublisher(cfg.kafka(), cfg.vmTopic(), cfg.hostTopic(),
                cfg.outageTolerance(), cfg.bufferRecords(), metrics);
        Collector collector = new Collector(cfg, metrics, publisher, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: draining samples to Kafka");
            collector.close();
            if (metricsServer != null) {
                metricsServer.close();
            }
            stopped.countDown();
        }, "memdrs-shutdown"));
        if (cfg.metricsPort() != 0 && cfg.perVmMetrics()) {
            VmSeries.following(collector, registry.getPrometheusRegistry());
        }
        collector.start();
        stopped.await();
        return ExitCodes.OK;
    }
}
