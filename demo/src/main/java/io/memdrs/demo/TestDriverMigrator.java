package io.memdrs.demo;

import io.memdrs.collector.libvirt.LibvirtUnavailableException;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The demo's migration executor: "live-migrates" a domain between two test-driver hosts by taking its live XML off
 * the source and starting it on the target, same UUID and memory, which is what the collectors then observe.
 */
final class TestDriverMigrator {
    /** Moves {@code uuid} from {@code source} to {@code target}; false if it is no longer on the source. */
    boolean migrate(String uuid, DemoHost source, DemoHost target) throws LibvirtUnavailableException {
        String xml = source.call("take " + uuid, c -> {
            Domain d;
            try {
                d = c.domainLookupByUUIDString(uuid);
            } catch (LibvirtException e) {
                return null;
            }
            try {
                String desc = d.getXMLDesc(0);
                d.destroy();
                d.undefine();
                return desc;
            } finally {
                d.free();
            }
        });
        if (xml == null) {
            return false;
        }
        target.call("start " + uuid, c -> {
            Domain d = c.domainDefineXML(xml);
            d.create();
            d.free();
            return null;
        });
        return true;
    }
}
