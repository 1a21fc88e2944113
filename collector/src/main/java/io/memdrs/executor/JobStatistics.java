package io.memdrs.executor;

import io.memdrs.avro.MigrationJobStats;
import java.util.Map;

/**
 * libvirt's job statistics ({@code virDomainGetJobStats} typed parameters) as a {@link MigrationJobStats}. Each
 * figure stays null where libvirt did not report it: drivers and job phases differ in what they give.
 */
public final class JobStatistics {
    private JobStatistics() {}

    /** The typed parameters by name, integers as {@link Long}; null when libvirt gave none. */
    public static MigrationJobStats from(Map<String, Object> params) {
        if (params == null || params.isEmpty()) {
            return null;
        }
        Long pageSize = number(params, "memory_page_size");
        Long dirtyPages = number(params, "memory_dirty_rate");
        Long dirtyRate = dirtyPages == null ? null : dirtyPages * (pageSize == null ? 4096 : pageSize);
        return MigrationJobStats.newBuilder()
                .setTimeElapsedMillis(number(params, "time_elapsed"))
                .setDowntimeMillis(number(params, "downtime"))
                .setDataTransferredBytes(number(params, "data_processed"))
                .setMemoryTotalBytes(number(params, "memory_total"))
                .setMemoryTransferredBytes(number(params, "memory_processed"))
                .setMemoryIterations(number(params, "memory_iteration"))
                .setDirtyRateBytesPerSecond(dirtyRate)
                .setAutoConvergeThrottlePercent(number(params, "auto_converge_throttle"))
                .build();
    }

    private static Long number(Map<String, Object> params, String name) {
        return params.get(name) instanceof Number n ? n.longValue() : null;
    }
}
