package io.memdrs.collector.libvirt;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop on a daemon thread. Keepalive messages, and so the detection of a dead or hung
 * libvirtd, only flow while it runs; it must be registered before the first connection is opened.
 */
public final class LibvirtEventLoop {
    private static final Logger log = LoggerFactory.getLogger(LibvirtEventLoop.class);
    private static boolean started;
    /** Held for the life of the process: libvirt keeps calling it. */
    private static final LibvirtNative.ErrorFunc QUIET = (userData, error) -> { };

    private LibvirtEventLoop() {}

    public static synchronized void ensureRunning() {
        if (started) {
            return;
        }
        // Errors come back as exceptions with their message; libvirt's own printing to stderr would only duplicate them.
        LibvirtNative.INSTANCE.virSetErrorFunc(null, QUIET);
        try {
            Library.initEventLoop();
        } catch (LibvirtException e) {
            log.warn("libvirt event loop unavailable, keepalive disabled: {}", e.getMessage());
            started = true;
            return;
        }
        Thread loop = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (LibvirtException e) {
                log.error("libvirt event loop stopped: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "libvirt-event-loop");
        loop.setDaemon(true);
        loop.start();
        started = true;
    }
}
