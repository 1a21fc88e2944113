package io.memdrs.engine.baseline;

/**
 * One migration chosen by a baseline strategy.
 *
 * @param vmUuid the VM
 * @param vmName its name
 * @param source host it leaves
 * @param target host it goes to
 * @param sizeKiB what the migration copies at least, KiB
 */
public record BaselineMove(String vmUuid, String vmName, String source, String target, long sizeKiB) {
}
