package io.memdrs.collector.libvirt;

import org.libvirt.Error;

/**
 * A libvirt C function called through JNA (one libvirt-java does not bind) failed; carries libvirt's error as
 * libvirt-java would have.
 */
public final class NativeCallException extends RuntimeException {
    private final transient Error error;

    NativeCallException(String call, Error error) {
        super(call + " failed: " + (error == null ? "libvirt gave no message" : error.getMessage()));
        this.error = error;
    }

    /** libvirt's error, or null when it gave none. */
    public Error error() {
        return error;
    }

    /** True when libvirt's error has this code. */
    public boolean is(Error.ErrorNumber code) {
        return error != null && error.getCode() == code;
    }
}
