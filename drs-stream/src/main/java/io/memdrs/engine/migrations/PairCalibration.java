package io.memdrs.engine.migrations;

/**
 * What the measured migrations of one host pair say about migrating from {@code source} to {@code target}: the
 * figures {@link MigrationLog#predict} uses for that pair.
 *
 * @param source the host the VMs left
 * @param target the host they went to
 * @param measured how many measured migrations the figures come from (at most {@link MigrationLog#CALIBRATION_WINDOW})
 * @param bytesPerSecond effective bandwidth: bytes sent per second of migration
 * @param bytesSentPerByte copy overhead: bytes sent per byte of VM memory
 */
public record PairCalibration(String source, String target, int measured, double bytesPerSecond,
                              double bytesSentPerByte) {

    /** Effective bandwidth in MiB/s. */
    public double mibPerSecond() {
        return bytesPerSecond / 1048576.0;
    }
}
