package io.memdrs.e2e.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.e2e.Lab;
import io.memdrs.e2e.LoopbackPorts;
import io.memdrs.kafka.embedded.EmbeddedKafkaBroker;
import io.memdrs.schemas.AvroSerde;
import io.memdrs.topics.TopicPlan;
import io.memdrs.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: the real libvirtd (the lab's, with its QEMU guests) is stopped for {@value #DOWN_SECONDS} s and started
 * again under a running collector ({@code memdrs collector run}, its own JVM, polling every
 * {@value #POLL_SECONDS} s). The collector says so in its Prometheus metrics and its log while it lasts, tries to
 * reconnect with growing waits never longer than a poll interval, and publishes complete polls again within two
 * poll intervals of libvirtd answering. Every poll in Kafka is whole (the host and all three guests) and none is
 * there twice.
 */
@Tag("integration")
class LibvirtdRestartTest {
    private static final int POLL_SECONDS = 2;
    private static final int DOWN_SECONDS = 6;
    private static final Set<String> GUESTS = Set.of(Lab.OK, Lab.FROZEN, Lab.NO_DRIVER);
    /** The collector's log lines that name the wait before its next connection attempt. */
    private static final Pattern WAIT = Pattern.compile("(?:libvirt connection to qemu:///system lost \\(.*\\); "
            + "reconnecting with backoff, first|connection attempt \\d+ to qemu:///system failed: .*; next) attempt in (\\d+) ms");

    @TempDir
    Path work;

    /** What the test saw on {@code /metrics} while libvirtd was down. */
    /**
     * @param scrapesWithoutVms scrapes while libvirt was down that had no per-VM series (the collector knows no VM's
     *                          memory then)
     */
    private record DuringOutage(double minUp, double maxOutageSeconds, int scrapesWithoutVms) {}

    @Test
    void shouldReportTheOutageReconnectWithBackoffAndResumeWithinTwoPollIntervals() throws Exception {
        Lab lab = Lab.readyOrSkip();
        int metricsPort = LoopbackPorts.free();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"))) {
            try (Admin admin = broker.admin()) {
                TopicPlan.createMissing(admin, 1, (short) 1);
            }
            Path config = PropertiesFile.write(work.resolve("collector.properties"), Map.of(
                    "collector.cluster", "lab", "collector.host", "real-1", "collector.libvirt.uri", Lab.URI,
                    "collector.poll.interval", POLL_SECONDS + "s", "collector.metrics.port", Integer.toString(metricsPort),
                    "kafka.bootstrap.servers", broker.bootstrapServers()));
            try (JvmProcess collector = JvmProcess.start("collector", ProjectFiles.collectorJar(), List.of(),
                    work.resolve("collector.log"), "run", "--config", config.toString())) {
                Await.until("3 polls published and acknowledged", Duration.ofSeconds(60), () -> {
                    Prometheus m = Prometheus.scrape(metricsPort);
                    return m.valueOr0("memdrs_collector_libvirt_up") == 1
                            && m.valueOr0("memdrs_collector_samples_sent_total{topic=\"" + Topics.HOST_SAMPLES + "\"}") >= 3;
                });

                CompletableFuture<Lab.Run> restart = CompletableFuture.supplyAsync(
                        () -> lab.restartDaemon(Duration.ofSeconds(DOWN_SECONDS)));
                DuringOutage seen = watchMetricsUntil(restart, metricsPort);
                Lab.Run run = restart.join();
                assertTrue(run.succeeded(), run::describe);
                long stoppedAt = run.epochMillisAfter("libvirtd stopped at");
                long backAt = run.epochMillisAfter("libvirtd answers again at");
                for (String guest : GUESTS) {
                    assertTrue(run.output().contains(guest + ": running"), guest + " survived: " + run.describe());
                }

                Await.until("the collector to report the reconnection", Duration.ofSeconds(4L * POLL_SECONDS),
                        () -> Prometheus.scrape(metricsPort).valueOr0("memdrs_collector_libvirt_outages_seconds_count") >= 1);
                Prometheus after = Prometheus.scrape(metricsPort);
                Await.until("two polls after libvirtd is back", Duration.ofSeconds(4L * POLL_SECONDS),
                        () -> hostSampleTimes(broker).stream().filter(t -> t > backAt).count() >= 2);
                Prometheus afterPolls = Prometheus.scrape(metricsPort);
                collector.stop(); // SIGTERM: the collector drains its buffer to Kafka before it exits

                List<VmMemorySample> vms = decode(broker, Topics.VM_SAMPLES, VmMemorySample.class);
                List<Long> polls = hostSampleTimes(broker);
                String log = collector.output();
                List<Long> waits = backoffWaits(log);
                long resumedAt = polls.stream().filter(t -> t > backAt).findFirst().orElseThrow();
                long duringOutage = polls.stream().filter(t -> t > stoppedAt && t < backAt).count();
                Map<Long, Set<String>> guestsByPoll = guestsByPoll(vms);
                Set<String> vmKeys = new HashSet<>();
                int repeated = 0;
                for (VmMemorySample vm : vms) {
                    repeated += vmKeys.add(vm.getVmName() + "@" + vm.getSampleTimeMillis()) ? 0 : 1;
                }

                System.out.printf("injected: libvirtd down %d ms (stopped %d, answering %d), collector polling every "
                                + "%d s%n", backAt - stoppedAt, stoppedAt, backAt, POLL_SECONDS);
                System.out.printf("counted: libvirt_up min %.0f during the outage, outage gauge max %.1f s, "
                                + "connections lost %.0f, failed attempts %.0f (waits after the loss and each "
                                + "failure: %s ms), polls failed %.0f, "
                                + "outages %.0f lasting %.1f s; first poll %d ms after libvirtd answered; %d polls "
                                + "(%d VM samples, %d repeated), %d during the outage%n",
                        seen.minUp(), seen.maxOutageSeconds(),
                        after.valueOr0("memdrs_collector_libvirt_connections_lost_total"),
                        after.valueOr0("memdrs_collector_libvirt_connect_failures_total"), waits,
                        after.valueOr0("memdrs_collector_poll_errors_total{reason=\"libvirt_unavailable\"}"),
                        after.valueOr0("memdrs_collector_libvirt_outages_seconds_count"),
                        after.valueOr0("memdrs_collector_libvirt_outages_seconds_sum"),
                        resumedAt - backAt, polls.size(), vms.size(), repeated, duringOutage);

                assertEquals(0.0, seen.minUp(), "libvirt_up shows the outage");
                assertTrue(seen.scrapesWithoutVms() >= 1, "the per-VM series went away while libvirt could not be read");
                for (String uuid : List.of("6d656d64-7273-4c61-8200-000000000001",
                        "6d656d64-7273-4c61-8200-000000000003")) {
                    assertTrue(afterPolls.toString().contains("memdrs_vm_stats_health{")
                                    && afterPolls.toString().contains(uuid),
                            "the per-VM series of " + uuid + " are back after the reconnection: " + afterPolls);
                }
                assertTrue(seen.maxOutageSeconds() >= DOWN_SECONDS - 2, "outage gauge " + seen.maxOutageSeconds());
                assertEquals(1.0, after.valueOr0("memdrs_collector_libvirt_connections_lost_total"), after::toString);
                assertEquals(1.0, after.valueOr0("memdrs_collector_libvirt_outages_seconds_count"), after::toString);
                assertEquals(1.0, after.valueOr0("memdrs_collector_libvirt_up"), after::toString);
                assertTrue(after.valueOr0("memdrs_collector_poll_errors_total{reason=\"libvirt_unavailable\"}") >= 1);
                assertTrue(log.contains("libvirt connection to qemu:///system lost"), log);
                int failedAttempts = waits.size() - 1;
                assertTrue(log.contains("libvirt connection to qemu:///system re-established after " + failedAttempts
                        + " failed attempt(s)"), log);
                assertEquals(after.valueOr0("memdrs_collector_libvirt_connect_failures_total"), failedAttempts,
                        "each failed attempt is counted and logged once: " + waits);
                assertTrue(failedAttempts >= 2, "several attempts while libvirtd was down: " + waits);
                assertEquals(1000L, waits.get(0), "the first attempt 1 s after the loss: " + waits);
                for (int i = 1; i < waits.size(); i++) {
                    assertTrue(waits.get(i) >= waits.get(i - 1), "waits grow: " + waits);
                }
                assertTrue(waits.stream().allMatch(w -> w <= POLL_SECONDS * 1000L), "capped at a poll interval: " + waits);

                assertTrue(resumedAt - backAt <= 2L * POLL_SECONDS * 1000, "resumed " + (resumedAt - backAt)
                        + " ms after libvirtd answered");
                assertEquals(0, duringOutage, "no poll can succeed while libvirtd is down");
                assertEquals(0, repeated, "no sample twice");
                assertEquals(polls.size(), guestsByPoll.size(), "every poll has its VM samples: " + guestsByPoll.keySet());
                guestsByPoll.forEach((time, guests) -> assertEquals(GUESTS, guests, "poll at " + time + " is whole"));
            }
        }
    }

    /** Scrapes {@code /metrics} every 250 ms until {@code restart} ends. */
    private static DuringOutage watchMetricsUntil(CompletableFuture<Lab.Run> restart, int port) throws InterruptedException {
        double minUp = 1;
        double maxOutage = 0;
        int withoutVms = 0;
        while (!restart.isDone()) {
            Prometheus m = Prometheus.scrape(port);
            if (m.answered()) {
                double up = m.valueOr0("memdrs_collector_libvirt_up");
                minUp = Math.min(minUp, up);
                maxOutage = Math.max(maxOutage, m.valueOr0("memdrs_collector_libvirt_outage_seconds"));
                if (up == 0 && !m.toString().contains("\nmemdrs_vm_stats_health{")) {
                    withoutVms++;
                }
            }
            Thread.sleep(250);
        }
        return new DuringOutage(minUp, maxOutage, withoutVms);
    }

    /** The waits the collector logged: after losing the connection, then after each failed attempt, in order. */
    private static List<Long> backoffWaits(String log) {
        List<Long> waits = new ArrayList<>();
        Matcher m = WAIT.matcher(log);
        while (m.find()) {
            waits.add(Long.parseLong(m.group(1)));
        }
        return waits;
    }

    private static List<Long> hostSampleTimes(EmbeddedKafkaBroker broker) {
        return decode(broker, Topics.HOST_SAMPLES, HostMemorySample.class).stream()
                .map(HostMemorySample::getSampleTimeMillis).sorted().toList();
    }

    private static Map<Long, Set<String>> guestsByPoll(List<VmMemorySample> vms) {
        Map<Long, Set<String>> byPoll = new TreeMap<>();
        vms.forEach(vm -> byPoll.computeIfAbsent(vm.getSampleTimeMillis(), t -> new HashSet<>()).add(vm.getVmName()));
        return byPoll;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(EmbeddedKafkaBroker broker,
                                                                                      String topic, Class<T> type) {
        AvroSerde<T> serde = AvroSerde.of(type);
        return KafkaReads.committed(broker.bootstrapServers(), topic).stream().map(r -> serde.decode(r.value())).toList();
    }
}
