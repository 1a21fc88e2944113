package io.memdrs.schemas.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark harness runs and prints its table (tiny sizes: a build check, not a measurement). */
class SerdeBenchmarkSmokeTest {
    @Test
    void shouldPrintATableWithBothSidesAndTheRatio() throws Exception {
        String table = SerdeBenchmark.run(2_000, 1);
        assertTrue(table.contains("| encode |") && table.contains("| decode |"), table);
    }
}
