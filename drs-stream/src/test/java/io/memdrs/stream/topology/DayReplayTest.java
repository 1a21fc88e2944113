package io.memdrs.stream.topology;

import static io.memdrs.stream.topology.ClusterFixture.GIB;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.HostLoad;
import io.memdrs.avro.MigrationRecommendation;
import io.memdrs.config.ConfigSource;
import io.memdrs.stream.config.DrsSettings;
import io.memdrs.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 24 simulated hours of noisy, daily-cycling memory load replayed through the topology, with every recommendation
 * executed at once (the VM shows up on its target in the next poll). A DRS that ping-pongs, or that moves VMs onto
 * full hosts, fails here.
 */
class DayReplayTest {
    private static final String C = "day";
    private static final Instant START = Instant.parse("2026-11-25T00:00:00Z");
    private static final int HOSTS = 8;
    private static final int VMS = 96;
    private static final long POLL_SECONDS = 60;
    private static final double HIGH_WATERMARK = 0.90;

    /** How the day starts: tenant groups packed on host pairs, or spread evenly with bigger VMs. */
    enum Start { PACKED_GROUPS, EVEN_BUSY }

    @ParameterizedTest
    @EnumSource(Start.class)
    void shouldReverseFewerThanOnePercentOfMovesAndNeverPushAHostPastTheWatermark(Start start) {
        StreamSerdes serdes = StreamSerdes.standard();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "day-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        DrsSettings settings = DrsSettings.from(ConfigSource.of(Map.of("drs.round.interval", "5m", "drs.hold", "10m",
                "drs.high-watermark", Double.toString(HIGH_WATERMARK), "drs.demand.half-life", "5m",
                "drs.demand.peak-window", "10m", "drs.recommendation.lifetime", "5m")));
        Random random = new Random(20261125);
        long[] base = new long[VMS];
        double[] phase = new double[VMS];
        String[] placement = new String[VMS];
        for (int v = 0; v < VMS; v++) {
            phase[v] = (v % 3) / 3.0;                          // three tenant groups peaking 8 h apart
            if (start == Start.PACKED_GROUPS) {
                base[v] = (2 + random.nextInt(4)) * GIB;      // 2..5 GiB at the daily mean
                // Each tenant group starts packed on two hosts of its own, two hosts start empty: the day's cycle
                // then moves the hot spot from pair to pair until the DRS has mixed the groups.
                placement[v] = "h" + ((v % 3) * 2 + (v / 3) % 2);
            } else {
                base[v] = (2 + random.nextInt(7)) * GIB;      // 2..8 GiB: busy hosts (75 % on average), spread round-robin
                placement[v] = "h" + (v % HOSTS);
            }
        }
        Map<String, Map<String, Long>> leftAt = new HashMap<>(); // vm -> host it left -> when
        int moves = 0;
        int reversals = 0;
        double maxLoadAfterMove = 0;
        double maxObservedLoad = 0;
        List<String> reversalLog = new ArrayList<>();
        Map<String, Long> aboveSince = new HashMap<>();
        long longestAbove = 0;

        try (TopologyTestDriver driver = new TopologyTestDriver(DrsTopology.build(settings, serdes), props, START)) {
            TestInputTopic<String, byte[]> vmIn = driver.createInputTopic(Topics.VM_SAMPLES, new StringSerializer(),
                    new ByteArraySerializer());
            TestInputTopic<String, byte[]> hostIn = driver.createInputTopic(Topics.HOST_SAMPLES, new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> recsOut = driver.createOutputTopic(Topics.RECOMMENDATIONS,
                    new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> loadsOut = driver.createOutputTopic(Topics.HOST_LOAD,
                    new StringDeserializer(), new ByteArrayDeserializer());
            long now = START.toEpochMilli();
            long end = START.plus(Duration.ofHours(24)).toEpochMilli();
            while (now < end) {
                double dayFraction = (now - START.toEpochMilli()) / 86_400_000.0;
                for (int v = 0; v < VMS; v++) {
                    double daily = 1 + 0.35 * Math.sin(2 * Math.PI * (dayFraction + phase[v]));
                    double noise = 1 + 0.05 * random.nextGaussian();
                    long usage = Math.max(GIB / 4, Math.round(base[v] * daily * noise));
                    var sample = ClusterFixture.vm(C, placement[v], "vm" + v, 0, now);
                    sample.setUsageKiB(usage);
                    sample.setCurrentMemoryKiB(12 * GIB);
                    vmIn.pipeInput(C, serdes.vmSample().encode(sample), now);
                }
                for (int h = 0; h < HOSTS; h++) {
                    var host = ClusterFixture.host(C, "h" + h, 80, now);
                    host.setPollIntervalSeconds((int) POLL_SECONDS);
                    hostIn.pipeInput(C, serdes.hostSample().encode(host), now);
                }
                now += POLL_SECONDS * 1000;
                driver.advanceWallClockTime(Duration.ofSeconds(POLL_SECONDS));
                for (MigrationRecommendation rec : recsOut.readValuesToList().stream().map(serdes.recommendation()::decode).toList()) {
                    int v = Integer.parseInt(rec.getVmUuid().substring(2));
                    Long left = leftAt.getOrDefault(rec.getVmUuid(), Map.of()).get(rec.getTargetHost());
                    if (left != null && now - left < Duration.ofHours(24).toMillis()) {
                        reversals++;
                        reversalLog.add(rec.getId() + " " + rec.getVmUuid() + " back to " + rec.getTargetHost() + " ("
                                + rec.getReason() + "), moves so far " + leftAt.get(rec.getVmUuid()));
                    }
                    leftAt.computeIfAbsent(rec.getVmUuid(), k -> new HashMap<>()).put(rec.getSourceHost(), now);
                    placement[v] = rec.getTargetHost();
                    maxLoadAfterMove = Math.max(maxLoadAfterMove, rec.getTargetLoadAfter());
                    moves++;
                }
                boolean settled = now - START.toEpochMilli() > Duration.ofMinutes(30).toMillis();
                for (HostLoad load : loadsOut.readValuesToList().stream().map(serdes.hostLoad()::decode).toList()) {
                    if (settled) {
                        maxObservedLoad = Math.max(maxObservedLoad, load.getLoad());
                        if (load.getLoad() > HIGH_WATERMARK) {
                            aboveSince.putIfAbsent(load.getHost(), now);
                            longestAbove = Math.max(longestAbove, now - aboveSince.get(load.getHost()));
                        } else {
                            aboveSince.remove(load.getHost());
                        }
                    }
                }
            }
        }
        System.out.printf("24 h replay (" + start + "): %d moves, %d reversed within 24 h (%.2f %%), highest target load after a move "
                + "%.3f, highest host load after the first 30 min %.3f (watermark %.2f), longest time a host stayed above it %d min%n",
                moves, reversals, moves == 0 ? 0 : 100.0 * reversals / moves, maxLoadAfterMove, maxObservedLoad,
                HIGH_WATERMARK, longestAbove / 60_000);
        assertTrue(moves > 0, "the daily cycle should have needed some moves");
        assertTrue(reversals * 100 < moves, "reversed " + reversals + " of " + moves + ": " + reversalLog);
        assertTrue(maxLoadAfterMove <= HIGH_WATERMARK, "a move filled its target to " + maxLoadAfterMove);
        // The load itself may grow a host past the watermark between polls; the DRS never does, and it brings such
        // a host back under within the hold time plus one round.
        assertTrue(longestAbove <= Duration.ofMinutes(15).toMillis(), "a host stayed above the watermark for "
                + longestAbove / 60_000 + " min (peak " + maxObservedLoad + ")");
    }
}
