package io.memdrs.stream.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memdrs.engine.Policy;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PolicyFileTest {

    private static Policy parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return PolicyFile.parse(p);
    }

    @Test
    void shouldUseTheBuiltInPolicyForAnEmptyFile() throws IOException {
        assertEquals(Policy.defaults(), parse(""));
    }

    @Test
    void shouldReadEveryKey() throws IOException {
        Policy p = parse("""
                drs.migration-threshold=5
                drs.high-watermark=0.85
                drs.min-goodness=0.001
                drs.max-moves-per-round=8
                drs.max-inflow-per-host=2
                drs.max-outflow-per-host=3
                drs.cooldown=30m
                drs.no-return-window=PT12H
                drs.recommendation.lifetime=90s
                drs.lower-band=0.5
                drs.move-overhead-kib=0
                drs.goodness-tolerance=0
                drs.min-trusted-fraction=0.7
                drs.policy.version=ops-3
                """);
        assertEquals(Policy.builder().migrationThreshold(5).highWatermark(0.85).minGoodness(0.001).maxMovesPerRound(8)
                .maxInflowPerHost(2).maxOutflowPerHost(3).cooldown(Duration.ofMinutes(30))
                .noReturnWindow(Duration.ofHours(12)).recommendationLifetime(Duration.ofSeconds(90)).lowerBand(0.5)
                .moveOverheadKiB(0).goodnessTolerance(0).minTrustedDemandFraction(0.7).version("ops-3").build(), p);
    }

    @Test
    void shouldAcceptTheStreamAppConfigAsItIs() throws IOException {
        Path config = Path.of("../deploy/config/stream.properties");
        if (Files.exists(config)) {
            assertEquals(Policy.defaults().migrationThreshold(), PolicyFile.read(config).migrationThreshold());
        }
        assertEquals(Policy.defaults(), parse("kafka.bootstrap.servers=x:9092\ndrs.round.interval=60s\ndrs.hold=5m\n"));
    }

    @Test
    void shouldRefuseBadValuesNamingTheKey() {
        assertEquals("drs.cooldown: not a duration: 'soon' (use e.g. 90s, 30m, 1h, 2d or PT30M)",
                assertThrows(PolicyValidationException.class, () -> parse("drs.cooldown=soon")).getMessage());
        assertEquals("drs.migration-threshold: 7 is out of range [1, 5]",
                assertThrows(PolicyValidationException.class, () -> parse("drs.migration-threshold=7")).getMessage());
        assertEquals("drs.high-watermark: not a number: 'high'",
                assertThrows(PolicyValidationException.class, () -> parse("drs.high-watermark=high")).getMessage());
        String unknown = assertThrows(PolicyValidationException.class, () -> parse("drs.migration-treshold=3"))
                .getMessage();
        assertEquals(true, unknown.startsWith("drs.migration-treshold: unknown key"), unknown);
    }
}
