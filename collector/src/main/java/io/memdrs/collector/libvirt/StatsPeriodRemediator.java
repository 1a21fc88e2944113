package io.memdrs.collector.libvirt;

import org.libvirt.Domain;

/**
 * Sets the live balloon statistics period of a domain (virDomainSetMemoryStatsPeriod, VIR_DOMAIN_AFFECT_LIVE), the
 * fix for balloons whose values are frozen because no period is set. Needs a read-write connection.
 */
public final class StatsPeriodRemediator {
    private final LibvirtSession session;

    public StatsPeriodRemediator(LibvirtSession session) {
        this.session = session;
    }

    /** Sets {@code periodSeconds} on the running domain {@code uuid}; throws with libvirt's message on failure. */
    public void setLivePeriod(String uuid, int periodSeconds) throws LibvirtUnavailableException {
        if (session.readOnly()) {
            throw new LibvirtUnavailableException("setting the stats period of " + uuid + " needs a read-write "
                    + "connection to " + session.uri(), null);
        }
        session.call("virDomainSetMemoryStatsPeriod", c -> {
            Domain domain = c.domainLookupByUUIDString(uuid);
            try {
                int rc = LibvirtNative.INSTANCE.virDomainSetMemoryStatsPeriod(NativeHandles.of(domain), periodSeconds,
                        LibvirtNative.AFFECT_LIVE);
                if (rc < 0) {
                    throw new IllegalStateException("virDomainSetMemoryStatsPeriod(" + domain.getName() + ", "
                            + periodSeconds + ") failed: " + lastError());
                }
                return rc;
            } finally {
                domain.free();
            }
        });
    }

    private static String lastError() {
        try {
            org.libvirt.jna.virError error = org.libvirt.jna.Libvirt.INSTANCE.virGetLastError();
            return error == null ? "libvirt gave no message" : String.valueOf(error.message);
        } catch (RuntimeException | LinkageError e) {
            return "libvirt gave no message";
        }
    }
}
