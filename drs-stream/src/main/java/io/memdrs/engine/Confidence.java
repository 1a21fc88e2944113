package io.memdrs.engine;

/** How far a VM's memory demand can be trusted. */
public enum Confidence {
    /** Fresh guest balloon statistics: the demand may drive a move. */
    HIGH,
    /**
     * The statistics are not usable and the demand is a conservative bound (host RSS or allocation): it counts in
     * host loads but never drives a balance move.
     */
    LOW
}
