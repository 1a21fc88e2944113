package io.memdrs.stream.cli;

import io.memdrs.config.ConfigSource;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memdrs stream run --config FILE}. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = io.memdrs.stream.cli.StreamVersion.class, description = "Run the Kafka Streams app until stopped.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Properties file: stream.*, kafka.*, streams.* keys; MEMDRS_* environment variables override it.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        ConfigSource source = ConfigSource.load(config, System.getenv(), "stream.", "kafka.", "streams.", "drs.");
        StreamConfig cfg = StreamConfig.from(source);
        DrsSettings drs = DrsSettings.from(source);
        log.info("memdrs stream starting with {} and {}", cfg, drs);
        StreamApp app = new StreamApp(cfg, drs);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean();
        AtomicBoolean failed = new AtomicBoolean();
        // The app stops by itself only on a fault it cannot get past (e.g. state it cannot read): then exit 1.
        app.streams().setStateListener((now, before) -> {
            if ((now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) && !closing.get()) {
                log.error("memdrs stream stopped ({}); exiting", now);
                failed.set(true);
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closing.set(true);
            app.close();
            stopped.countDown();
        }, "memdrs-shutdown"));
        app.start();
        stopped.await();
        return failed.get() ? 1 : 0;
    }
}
