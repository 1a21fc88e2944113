package io.memdrs.engine.waves;

/** Why a move could not join an earlier wave (the first reason the scheduler met). */
public enum Wait {
    /** It did not wait: it is in wave 1. */
    NONE,
    /** The wave already holds the cluster-wide number of concurrent migrations. */
    WAVE_CAP,
    /** Its source already sends its cap of VMs in that wave (also when an earlier move from it waits for that). */
    OUTFLOW_CAP,
    /** Its target already receives its cap of VMs in that wave (also when an earlier move to it waits for that). */
    INFLOW_CAP,
    /** Its target has no room until VMs that leave it in that wave have gone (in flight, they count on both hosts). */
    ROOM,
    /** An earlier move of the plan that shares a host or a rule with it waits, and the plan's order holds. */
    ORDER
}
