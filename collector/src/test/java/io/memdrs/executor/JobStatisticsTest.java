package io.memdrs.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.memdrs.avro.MigrationJobStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobStatisticsTest {
    @Test
    void shouldTakeLibvirtsFiguresAndTurnTheDirtyPageRateIntoBytes() {
        MigrationJobStats s = JobStatistics.from(Map.of("time_elapsed", 41_200L, "downtime", 37L,
                "data_processed", 4_500_000_000L, "memory_total", 4_294_967_296L, "memory_processed", 4_400_000_000L,
                "memory_iteration", 3L, "memory_dirty_rate", 2_000L, "memory_page_size", 4096L,
                "auto_converge_throttle", 20L));
        assertEquals(41_200L, s.getTimeElapsedMillis());
        assertEquals(37L, s.getDowntimeMillis());
        assertEquals(4_500_000_000L, s.getDataTransferredBytes());
        assertEquals(4_294_967_296L, s.getMemoryTotalBytes());
        assertEquals(4_400_000_000L, s.getMemoryTransferredBytes());
        assertEquals(3L, s.getMemoryIterations());
        assertEquals(8_192_000L, s.getDirtyRateBytesPerSecond());
        assertEquals(20L, s.getAutoConvergeThrottlePercent());
    }

    @Test
    void shouldLeaveWhatLibvirtDidNotReportNull() {
        MigrationJobStats s = JobStatistics.from(Map.of("time_elapsed", 10L));
        assertEquals(10L, s.getTimeElapsedMillis());
        assertNull(s.getDowntimeMillis());
        assertNull(s.getDirtyRateBytesPerSecond());
        assertNull(JobStatistics.from(Map.of()));
    }
}
