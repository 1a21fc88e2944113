package io.memdrs.stream.http;

import io.memdrs.config.ConfigSource;
import io.memdrs.stream.StreamApp;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.stream.config.StreamConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Building stream apps for the HTTP tests: a free port (application.server needs the real one), quick rounds. */
final class TestApps {
    private TestApps() {}

    /** A port free right now on loopback. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StreamApp app(String bootstrap, String applicationId, Path stateDir, int port, DrsSettings settings) {
        StreamConfig config = StreamConfig.from(ConfigSource.of(Map.of(
                "stream.application-id", applicationId, "stream.state-dir", stateDir.toString(),
                "stream.http.bind", "127.0.0.1", "stream.http.port", Integer.toString(port),
                "kafka.bootstrap.servers", bootstrap)));
        return new StreamApp(config, settings);
    }

    /** Decision rounds every {@code interval}, no hold: recommendations come at the first round. */
    static DrsSettings rounds(String interval) {
        return DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", interval, "drs.hold", "0s")));
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it lives under target/
        }
    }
}
