package io.memdrs.collector.libvirt;

import java.util.Optional;

/**
 * Whether the libvirt C library can be loaded: the collector binds {@code libvirt.so.0} through JNA, and without it
 * every call fails deep inside the first connection. Checked first by every command that talks to libvirt, so that a
 * machine without Debian's {@code libvirt0} gets one line that says what to install, within a second.
 */
public final class LibvirtLibrary {
    /** The Debian package that provides {@code libvirt.so.0}. */
    public static final String PACKAGE = "libvirt0";

    private LibvirtLibrary() {
    }

    /** Empty when the library loads, else the one-line problem with the package and the command to install it. */
    public static Optional<String> missing() {
        try {
            com.sun.jna.NativeLibrary.getInstance("virt");
            return Optional.empty();
        } catch (UnsatisfiedLinkError e) {
            return Optional.of("cannot load libvirt.so.0, the libvirt C library the collector binds through JNA; it"
                    + " comes with Debian's " + PACKAGE + " package: apt-get install -y " + PACKAGE);
        }
    }
}
