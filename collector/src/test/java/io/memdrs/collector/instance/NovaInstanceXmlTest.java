package io.memdrs.collector.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.memdrs.collector.libvirt.TestDriverNode;
import io.memdrs.collector.model.BalloonXml;
import io.memdrs.collector.model.DomainXml;
import org.junit.jupiter.api.Test;

class NovaInstanceXmlTest {

    private static NovaInstance read(String metadata) {
        return NovaInstanceXml.of(DomainXml.root("<domain type='kvm'><name>instance-0000002a</name>" + metadata
                + "<devices><memballoon model='virtio'><stats period='10'/></memballoon></devices></domain>"));
    }

    @Test
    void shouldReadDisplayNameFlavorProjectAndUserAsNovaWritesThem() {
        NovaInstance nova = read(TestDriverNode.nova(42));

        assertEquals(new NovaInstance("web-42", "m1.small", TestDriverNode.projectId(), "shop",
                TestDriverNode.userId(), "alice"), nova);
    }

    @Test
    void shouldReadAnyVersionOfNovasNamespaceWhateverItsPrefix() {
        for (String ns : new String[] {"http://openstack.org/xmlns/libvirt/nova/1.0",
                "http://openstack.org/xmlns/libvirt/nova/1.1", "http://openstack.org/xmlns/libvirt/nova/1.2"}) {
            NovaInstance nova = read("<metadata><n:instance xmlns:n='" + ns + "'><n:name>db</n:name>"
                    + "<n:owner><n:project uuid='p1'>ops</n:project></n:owner></n:instance></metadata>");
            assertEquals(new NovaInstance("db", "", "p1", "ops", "", ""), nova, ns);
        }
    }

    @Test
    void shouldFindNothingInADomainNovaDoesNotManage() {
        assertEquals(NovaInstance.NONE, read(""));
        assertEquals(NovaInstance.NONE, read("<metadata/>"));
        assertEquals(NovaInstance.NONE, read("<metadata><app:instance xmlns:app='http://example.com/app/1'>"
                + "<app:name>x</app:name></app:instance></metadata>"));
        assertEquals(NovaInstance.NONE, read("<metadata><instance><name>no namespace</name></instance></metadata>"));
        assertFalse(read("").present());
    }

    @Test
    void shouldLeaveMissingPiecesEmptyRatherThanFailThePoll() {
        NovaInstance nova = read("<metadata><nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>"
                + "<nova:flavor/><nova:owner><nova:user>bob</nova:user></nova:owner></nova:instance></metadata>");

        assertEquals(new NovaInstance("", "", "", "", "", "bob"), nova);
        assertEquals("instance-0000002a", nova.nameOr("instance-0000002a"));
    }

    @Test
    void shouldStillReadTheBalloonOfADomainWithMetadata() {
        String xml = "<domain type='kvm'>" + TestDriverNode.nova(3)
                + "<devices><memballoon model='virtio'><stats period='7'/></memballoon></devices></domain>";

        assertEquals(7, BalloonXml.parse(xml).statsPeriodSeconds());
    }
}
