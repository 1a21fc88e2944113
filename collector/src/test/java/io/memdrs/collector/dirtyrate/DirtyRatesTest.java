package io.memdrs.collector.dirtyrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirtyRatesTest {
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");

    @Test
    void shouldMeasureOncePerIntervalAndReportTheLatestRateUntilItIsThreeIntervalsOld() {
        DirtyRates rates = new DirtyRates(Duration.ofSeconds(60));
        assertTrue(rates.due(T0), "the first poll starts the first calculation");
        rates.measured(Map.of(), T0);
        assertFalse(rates.due(T0.plusSeconds(59)));
        assertTrue(rates.due(T0.plusSeconds(60)));
        rates.measured(Map.of("vm1", 5L << 20), T0.plusSeconds(60));
        assertEquals(5L << 20, rates.rateOf("vm1", T0.plusSeconds(61)));
        assertEquals(5L << 20, rates.rateOf("vm1", T0.plusSeconds(240)));
        assertNull(rates.rateOf("vm1", T0.plusSeconds(241)), "too old to report");
        assertNull(rates.rateOf("vm2", T0.plusSeconds(61)), "never measured");
    }

    @Test
    void shouldForgetVmsThatLeftAndStopWhereTheDriverHasNoCalculation() {
        DirtyRates rates = new DirtyRates(Duration.ofSeconds(10));
        rates.measured(Map.of("vm1", 1L, "vm2", 2L), T0);
        rates.retainOnly(Set.of("vm2"));
        assertNull(rates.rateOf("vm1", T0));
        assertEquals(2L, rates.rateOf("vm2", T0));
        rates.unsupported();
        assertFalse(rates.due(T0.plusSeconds(3600)));
        assertFalse(new DirtyRates(Duration.ZERO).due(T0), "interval 0: off");
    }
}
