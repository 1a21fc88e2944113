package io.memdrs.collector.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionHintsTest {
    @Test
    void shouldSayToStartTheDaemonWhenItsSocketIsMissing() {
        String hint = ConnectionHints.forOpenFailure("open on qemu:///system failed: Failed to connect socket to "
                + "'/var/run/libvirt/libvirt-sock-ro': No such file or directory").orElseThrow();
        assertTrue(hint.startsWith("no libvirt daemon listens there: start it"), hint);
    }

    @Test
    void shouldSayWhoMayOpenTheSocketWhenPermissionIsDenied() {
        String hint = ConnectionHints.forOpenFailure("Failed to connect socket to '/var/run/libvirt/libvirt-sock': "
                + "Permission denied").orElseThrow();
        assertTrue(hint.contains("libvirt group"), hint);
    }

    @Test
    void shouldPointAtTheCertificatesForATlsUri() {
        String hint = ConnectionHints.forOpenFailure("Cannot read CA certificate '/etc/pki/CA/cacert.pem': No such "
                + "file or directory").orElseThrow();
        assertTrue(hint.contains("CA certificate") && hint.contains("qemu:///system"), hint);
    }

    @Test
    void shouldGiveNoHintForAnUnknownMessage() {
        assertEquals(Optional.empty(), ConnectionHints.forOpenFailure("something nobody has seen before"));
        assertEquals(Optional.empty(), ConnectionHints.forOpenFailure(null));
    }

    @Test
    void shouldAddTheHintToTheErrorOfARealFailedOpen() {
        LibvirtUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(LibvirtUnavailableException.class,
                () -> LibvirtSession.open("qemu+unix:///system?socket=/nonexistent/memdrs.sock", true,
                        Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("No such file or directory; hint: no libvirt daemon listens there"), e.getMessage());
    }
}
