package io.memdrs.engine;

/**
 * One host's load before the round and after all recommended moves.
 *
 * @param host host name
 * @param state whether it is heard from
 * @param maintenance whether it is in maintenance
 * @param memoryKiB physical memory, KiB
 * @param reservedKiB reserved for the host, KiB
 * @param demandBeforeKiB demand of its VMs now, KiB
 * @param demandAfterKiB demand of its VMs after the recommended moves, KiB
 * @param loadBefore demand over capacity now, a fraction (0 when it has no capacity)
 * @param loadAfter demand over capacity after the moves
 * @param vmCount VMs on it now
 * @param trustedVms of which with HIGH confidence
 * @param inImbalance whether its load counts in the imbalance
 */
public record HostLoadLine(String host, HostState state, boolean maintenance, long memoryKiB, long reservedKiB,
        long demandBeforeKiB, long demandAfterKiB, double loadBefore, double loadAfter, int vmCount, int trustedVms,
        boolean inImbalance) {

    /** Memory VMs may use, KiB. */
    public long capacityKiB() {
        return memoryKiB - reservedKiB;
    }
}
