package io.memdrs.collector.model;

import io.memdrs.avro.DomainState;
import io.memdrs.collector.instance.NovaInstance;

/**
 * Everything the collector read about one domain in one poll, before any interpretation.
 *
 * @param uuid libvirt domain UUID
 * @param name libvirt domain name
 * @param state domain state
 * @param maxMemoryKiB virDomainGetMaxMemory
 * @param currentMemoryKiB current allocation (virDomainGetInfo memory)
 * @param stats the balloon statistics libvirt returned (empty when it returned none)
 * @param balloon the balloon configuration of the live domain XML
 * @param nova what nova's metadata in the domain XML says about the VM ({@link NovaInstance#NONE} if nothing)
 */
public record DomainSnapshot(String uuid, String name, DomainState state, long maxMemoryKiB, long currentMemoryKiB,
                             RawMemoryStats stats, BalloonConfig balloon, NovaInstance nova) {

    public DomainSnapshot {
        nova = nova == null ? NovaInstance.NONE : nova;
    }

    /** A domain nova does not manage. */
    public DomainSnapshot(String uuid, String name, DomainState state, long maxMemoryKiB, long currentMemoryKiB,
                          RawMemoryStats stats, BalloonConfig balloon) {
        this(uuid, name, state, maxMemoryKiB, currentMemoryKiB, stats, balloon, NovaInstance.NONE);
    }
}
