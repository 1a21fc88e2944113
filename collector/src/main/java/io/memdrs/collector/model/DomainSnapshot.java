package io.memdrs.collector.model;

import io.memdrs.avro.DomainState;

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
 */
public record DomainSnapshot(String uuid, String name, DomainState state, long maxMemoryKiB, long currentMemoryKiB,
                             RawMemoryStats stats, BalloonConfig balloon) {
}
