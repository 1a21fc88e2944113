package io.memdrs.collector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BalloonXmlTest {

    private static String domain(String devices) {
        return """
                <domain type='kvm' id='7'>
                  <name>web-1</name>
                  <uuid>6f1c2a7e-1b2d-4c3e-9f40-5a6b7c8d9e0f</uuid>
                  <metadata>
                    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
                      <nova:name>web-1</nova:name>
                    </nova:instance>
                  </metadata>
                  <memory unit='KiB'>4194304</memory>
                  <currentMemory unit='KiB'>4194304</currentMemory>
                  <vcpu placement='static'>2</vcpu>
                  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                """ + devices + """
                  </devices>
                </domain>
                """;
    }

    @Test
    void shouldReadModelAndPeriodOfANovaStyleBalloon() {
        String xml = domain("""
                    <memballoon model='virtio'>
                      <stats period='10'/>
                      <alias name='balloon0'/>
                      <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>
                    </memballoon>
                """);

        assertEquals(new BalloonConfig("virtio", 10), BalloonXml.parse(xml));
    }

    @Test
    void shouldReportPeriodZeroWhenBalloonHasNoStatsElement() {
        String xml = domain("""
                    <memballoon model='virtio'>
                      <alias name='balloon0'/>
                    </memballoon>
                """);

        BalloonConfig balloon = BalloonXml.parse(xml);

        assertEquals(new BalloonConfig("virtio", 0), balloon);
        assertTrue(balloon.present());
    }

    @Test
    void shouldReportPeriodZeroWhenStatsElementHasNoPeriod() {
        String xml = domain("<memballoon model='virtio'><stats/></memballoon>");

        assertEquals(new BalloonConfig("virtio", 0), BalloonXml.parse(xml));
    }

    @Test
    void shouldKeepModelNoneAsABalloonThatCannotReport() {
        BalloonConfig balloon = BalloonXml.parse(domain("<memballoon model='none'/>"));

        assertEquals(new BalloonConfig("none", 0), balloon);
        assertFalse(balloon.present());
    }

    @Test
    void shouldReadOtherVirtioModels() {
        String xml = domain("<memballoon model='virtio-transitional'><stats period='5'/></memballoon>");

        assertEquals(new BalloonConfig("virtio-transitional", 5), BalloonXml.parse(xml));
    }

    @Test
    void shouldReturnAbsentWhenDomainHasNoMemballoon() {
        String xml = domain("    <interface type='network'><model type='virtio'/></interface>\n");

        assertSame(BalloonConfig.ABSENT, BalloonXml.parse(xml));
    }

    @Test
    void shouldReturnAbsentWhenDomainHasNoDevices() {
        String xml = "<domain type='qemu'><name>bare</name><memory unit='KiB'>131072</memory></domain>";

        assertSame(BalloonConfig.ABSENT, BalloonXml.parse(xml));
    }

    @Test
    void shouldIgnoreAMemballoonOutsideDevices() {
        String xml = """
                <domain type='kvm'>
                  <name>tricky</name>
                  <metadata><memballoon model='virtio'><stats period='10'/></memballoon></metadata>
                  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
                </domain>
                """;

        assertSame(BalloonConfig.ABSENT, BalloonXml.parse(xml));
    }

    @Test
    void shouldRejectMalformedXmlNamingWhereItBroke() {
        String xml = domain("<memballoon model='virtio'><stats period='10'></memballoon>");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BalloonXml.parse(xml));

        assertTrue(e.getMessage().startsWith("malformed domain XML at line"), e.getMessage());
    }

    @Test
    void shouldRejectEmptyXml() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BalloonXml.parse("  "));

        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void shouldRejectXmlThatIsNotADomain() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BalloonXml.parse("<network><name>default</name></network>"));

        assertTrue(e.getMessage().contains("<network>"), e.getMessage());
    }

    @Test
    void shouldRejectADoctypeSoNoExternalEntityIsEverResolved() {
        String xml = """
                <?xml version="1.0"?>
                <!DOCTYPE domain [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <domain><devices><memballoon model='&secret;'/></devices></domain>
                """;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BalloonXml.parse(xml));

        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void shouldRejectAPeriodThatIsNotANumber() {
        String xml = domain("<memballoon model='virtio'><stats period='ten'/></memballoon>");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BalloonXml.parse(xml));

        assertTrue(e.getMessage().contains("period='ten'"), e.getMessage());
    }

    @Test
    void shouldRejectANegativePeriod() {
        String xml = domain("<memballoon model='virtio'><stats period='-1'/></memballoon>");

        assertThrows(IllegalArgumentException.class, () -> BalloonXml.parse(xml));
    }

    @Test
    void shouldRejectAMemballoonWithoutModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BalloonXml.parse(domain("<memballoon><stats period='10'/></memballoon>")));

        assertTrue(e.getMessage().contains("model"), e.getMessage());
    }
}
