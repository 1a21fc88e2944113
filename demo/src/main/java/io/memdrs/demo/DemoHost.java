package io.memdrs.demo;

import io.memdrs.collector.libvirt.LibvirtConnector;
import io.memdrs.collector.libvirt.LibvirtSession;
import io.memdrs.collector.libvirt.LibvirtUnavailableException;
import java.nio.file.Path;

/**
 * One test-driver host of the demo: its node file and the one read-write connection to it, shared by its collector,
 * the load drifter and the migration executor (a test-driver node's state lives in that connection only).
 */
record DemoHost(String name, Path nodeFile, LibvirtConnector connector) {
    String uri() {
        return "test://" + nodeFile.toAbsolutePath();
    }

    <T> T call(String what, LibvirtSession.Call<T> call) throws LibvirtUnavailableException {
        return connector.session().call(what, call);
    }
}
