package io.memdrs.collector.vmseries;

import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import java.util.OptionalDouble;

/**
 * Ceilometer's {@code memory.usage} of a VM, as its libvirt inspector computes it: (available − unused) / 1024, in
 * MB, from the guest's balloon statistics. Defined only while those statistics can be used: health OK or PARTIAL,
 * with both values reported. Otherwise there is no value — never 0, which Watcher would read as an idle VM.
 */
public final class CeilometerMemoryUsage {
    private CeilometerMemoryUsage() {
    }

    public static OptionalDouble megabytes(VmMemorySample vm) {
        StatsHealth health = vm.getHealth();
        Long available = vm.getAvailableKiB();
        Long unused = vm.getUnusedKiB();
        if ((health != StatsHealth.OK && health != StatsHealth.PARTIAL) || available == null || unused == null
                || unused > available) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((available - unused) / 1024.0);
    }
}
