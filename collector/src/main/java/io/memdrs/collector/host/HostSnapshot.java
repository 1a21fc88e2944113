package io.memdrs.collector.host;

/**
 * What the collector read about the compute node itself in one poll.
 *
 * @param hostname libvirt's hostname of the node
 * @param memoryKiB physical memory
 * @param freeKiB free memory, or null when unknown
 * @param cachedKiB page cache, or null when the driver does not report it
 * @param buffersKiB buffers, or null when the driver does not report it
 * @param cpus logical CPUs
 * @param runningVms running domains
 */
public record HostSnapshot(String hostname, long memoryKiB, Long freeKiB, Long cachedKiB, Long buffersKiB,
                           int cpus, int runningVms) {
}
