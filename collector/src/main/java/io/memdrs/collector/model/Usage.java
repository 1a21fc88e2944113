package io.memdrs.collector.model;

import io.memdrs.avro.UsageSource;
import java.util.Objects;

/**
 * Memory a VM uses and where the figure comes from.
 *
 * @param kib the usage, KiB
 * @param source which libvirt value it was derived from
 */
record Usage(long kib, UsageSource source) {

    Usage {
        Objects.requireNonNull(source, "source");
    }
}
