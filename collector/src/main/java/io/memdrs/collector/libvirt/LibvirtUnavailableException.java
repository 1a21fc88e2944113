package io.memdrs.collector.libvirt;

/** A libvirt call failed, timed out, or the connection is gone; the message names the call and the URI. */
public final class LibvirtUnavailableException extends Exception {
    public LibvirtUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
