package io.memdrs.executor.cli;

import io.memdrs.collector.CollectorVersion;
import io.memdrs.collector.cli.VersionProvider;
import io.memdrs.collector.libvirt.LibvirtLibrary;
import io.memdrs.config.ConfigSource;
import io.memdrs.executor.ExecutorSettings;
import io.memdrs.executor.libvirt.LibvirtMigrator;
import io.memdrs.executor.service.MigrationService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memdrs executor run --config FILE}: the migration service, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Consume memdrs.recommendations and act on each (executor.dry-run=true, the default, only says "
                + "what it would migrate).")
final class ExecutorRunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ExecutorRunCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Properties file: executor.* and kafka.* keys; MEMDRS_* environment variables override it.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        java.util.Optional<String> noLibvirt = LibvirtLibrary.missing();
        if (noLibvirt.isPresent()) {
            System.err.println("memdrs executor: " + noLibvirt.get());
            return 2;
        }
        ExecutorSettings settings = ExecutorSettings.from(ConfigSource.load(config, System.getenv(), "executor.", "kafka."));
        log.info("memdrs executor {} starting with {}", CollectorVersion.get(), settings);
        MigrationService service = new MigrationService(settings, new LibvirtMigrator(settings, Clock.systemUTC()),
                Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping after the migrations at hand");
            service.close();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "memdrs-shutdown"));
        try {
            service.run();
        } finally {
            stopped.countDown();
        }
        return 0;
    }
}
