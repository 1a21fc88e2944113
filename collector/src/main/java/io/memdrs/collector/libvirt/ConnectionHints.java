package io.memdrs.collector.libvirt;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an operator can do about a libvirt connection that would not open, read from libvirt's own message. Pure.
 */
public final class ConnectionHints {
    private record Hint(List<String> when, String what) {
        boolean matches(String message) {
            return when.stream().allMatch(message::contains);
        }
    }

    private static final List<Hint> HINTS = List.of(
            new Hint(List.of("failed to connect socket", "no such file or directory"),
                    "no libvirt daemon listens there: start it (systemctl start libvirtd; with the modular "
                            + "daemons, virtqemud.socket) or correct the URI"),
            new Hint(List.of("failed to connect socket", "connection refused"),
                    "the libvirt daemon is stopped or restarting: check systemctl status libvirtd"),
            new Hint(List.of("permission denied"),
                    "the user may not open the libvirt socket: run the collector as root or as a member of the "
                            + "libvirt group, as deploy/systemd/memdrs-collector.service does"),
            new Hint(List.of("authentication"),
                    "libvirt refused the user (polkit or SASL): add it to the libvirt group or grant it a polkit "
                            + "rule for org.libvirt.unix.monitor"),
            new Hint(List.of("ca certificate"),
                    "a TLS connection needs the CA certificate and a client certificate, see RELIABILITY.md "
                            + "(libvirt); for the local hypervisor use qemu:///system"),
            new Hint(List.of("no connection driver available"),
                    "this libvirt has no driver for the URI's hypervisor: install it (e.g. libvirt-daemon-driver-qemu)"
                            + " or connect to a host that has it"),
            new Hint(List.of("xml error"),
                    "the test driver could not read its node file: the path after test:// must be an absolute path "
                            + "to a readable <node> XML file"));

    private ConnectionHints() {}

    /** The hint for libvirt's message when opening a connection failed, if one applies. */
    public static Optional<String> forOpenFailure(String libvirtMessage) {
        if (libvirtMessage == null) {
            return Optional.empty();
        }
        String message = libvirtMessage.toLowerCase(Locale.ROOT);
        return HINTS.stream().filter(h -> h.matches(message)).map(Hint::what).findFirst();
    }
}
