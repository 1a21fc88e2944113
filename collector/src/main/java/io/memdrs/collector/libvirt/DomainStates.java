package io.memdrs.collector.libvirt;

import io.memdrs.avro.DomainState;
import org.libvirt.DomainInfo;

/** libvirt's domain state to the contract's. */
final class DomainStates {
    private static final DomainState[] BY_CODE = {DomainState.NOSTATE, DomainState.RUNNING, DomainState.BLOCKED,
        DomainState.PAUSED, DomainState.SHUTDOWN, DomainState.SHUTOFF, DomainState.CRASHED, DomainState.PMSUSPENDED};

    private DomainStates() {}

    static DomainState of(DomainInfo.DomainState state) {
        if (state == null) {
            return DomainState.UNKNOWN;
        }
        return switch (state) {
            case VIR_DOMAIN_NOSTATE -> DomainState.NOSTATE;
            case VIR_DOMAIN_RUNNING -> DomainState.RUNNING;
            case VIR_DOMAIN_BLOCKED -> DomainState.BLOCKED;
            case VIR_DOMAIN_PAUSED -> DomainState.PAUSED;
            case VIR_DOMAIN_SHUTDOWN -> DomainState.SHUTDOWN;
            case VIR_DOMAIN_SHUTOFF -> DomainState.SHUTOFF;
            case VIR_DOMAIN_CRASHED -> DomainState.CRASHED;
            case VIR_DOMAIN_PMSUSPENDED -> DomainState.PMSUSPENDED;
        };
    }

    /** virDomainState's number (the bulk stats' {@code state.state}): 0 NOSTATE .. 7 PMSUSPENDED; others UNKNOWN. */
    static DomainState ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : DomainState.UNKNOWN;
    }
}
