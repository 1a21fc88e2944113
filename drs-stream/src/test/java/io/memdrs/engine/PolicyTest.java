package io.memdrs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PolicyTest {

    @Test
    void shouldMapMigrationThresholdLevelsToTargetImbalance() {
        assertEquals(Double.POSITIVE_INFINITY, Policy.targetForLevel(1));
        assertEquals(0.15, Policy.targetForLevel(2));
        assertEquals(0.10, Policy.targetForLevel(3));
        assertEquals(0.05, Policy.targetForLevel(4));
        assertEquals(0.02, Policy.targetForLevel(5));
        assertEquals(0.08, Policy.defaults().stopImbalance(), 1e-15);
    }

    @Test
    void shouldHaveTheDocumentedDefaults() {
        Policy p = Policy.defaults();
        assertEquals(3, p.migrationThreshold());
        assertEquals(0.90, p.highWatermark());
        assertEquals(16, p.maxMovesPerRound());
        assertEquals(p, p.toBuilder().build());
    }

    @Test
    void shouldRefuseOutOfRangeValuesNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Policy.builder().migrationThreshold(6).build());
        assertEquals("migrationThreshold must be 1 to 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Policy.builder().highWatermark(0).build());
        assertEquals("highWatermark must be in (0, 1.5]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Policy.builder().lowerBand(0).build());
        assertThrows(IllegalArgumentException.class, () -> Policy.targetForLevel(0));
    }
}
