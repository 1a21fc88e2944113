package io.memdrs.collector.libvirt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * libvirt test-driver node files ({@code test:///abs/path.xml}): a host with {@code n} running domains, each with a
 * virtio balloon and a 10 s stats period, except every seventh without a period and every eleventh with
 * {@code <memballoon model='none'/>}. Domain {@code i} is named {@code vm-<i>} with a UUID ending in {@code i}.
 * Every third domain carries nova's instance metadata ({@link #nova}), as an OpenStack compute node's would.
 */
public final class TestDriverNode {
    private TestDriverNode() {}

    /** Writes the node file for {@code domains} domains to {@code file}; returns its libvirt URI. */
    public static String write(Path file, int domains) {
        StringBuilder xml = new StringBuilder(512 + domains * 420);
        xml.append("<node>\n  <cpu><nodes>1</nodes><sockets>2</sockets><cores>8</cores><threads>2</threads>")
                .append("<active>32</active><mhz>2400</mhz><model>x86_64</model></cpu>\n")
                .append("  <memory>").append(Math.max(16L, domains * 4L) * 1024 * 1024).append("</memory>\n");
        for (int i = 1; i <= domains; i++) {
            long current = (512L + (i % 8) * 256) * 1024;
            xml.append("  <domain type='test'>\n")
                    .append("    <name>").append(name(i)).append("</name>\n")
                    .append("    <uuid>").append(uuid(i)).append("</uuid>\n")
                    .append("    <memory unit='KiB'>").append(current * 2).append("</memory>\n")
                    .append("    <currentMemory unit='KiB'>").append(current).append("</currentMemory>\n")
                    .append(i % 3 == 0 ? nova(i) : "")
                    .append("    <vcpu>1</vcpu>\n    <os><type>hvm</type></os>\n    <devices>")
                    .append(balloon(i))
                    .append("</devices>\n  </domain>\n");
        }
        xml.append("</node>\n");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "test://" + file.toAbsolutePath();
    }

    public static String name(int i) {
        return String.format("vm-%04d", i);
    }

    public static String uuid(int i) {
        return String.format("6d656d64-7273-4265-8e63-%012d", i);
    }

    /**
     * The {@code <metadata>} nova writes for an instance: display name {@code web-<i>}, flavor {@code m1.small},
     * user {@code alice} and project {@code shop} with their UUIDs ({@link #projectId}, {@link #userId}).
     */
    public static String nova(int i) {
        return "    <metadata>\n      <nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>\n"
                + "        <nova:package version='30.0.0'/>\n"
                + "        <nova:name>" + displayName(i) + "</nova:name>\n"
                + "        <nova:creationTime>2026-11-30 08:00:00</nova:creationTime>\n"
                + "        <nova:flavor name='m1.small'><nova:memory>2048</nova:memory><nova:disk>20</nova:disk>"
                + "<nova:swap>0</nova:swap><nova:ephemeral>0</nova:ephemeral><nova:vcpus>1</nova:vcpus></nova:flavor>\n"
                + "        <nova:owner><nova:user uuid='" + userId() + "'>alice</nova:user>"
                + "<nova:project uuid='" + projectId() + "'>shop</nova:project></nova:owner>\n"
                + "        <nova:root type='image' uuid='1c0d2a40-0e9e-4a6a-9d4c-6a2f4f0b5e11'/>\n"
                + "      </nova:instance>\n    </metadata>\n";
    }

    public static String displayName(int i) {
        return "web-" + i;
    }

    public static String projectId() {
        return "8a9f5c1e2b3d4e5f8a9b0c1d2e3f4a5b";
    }

    public static String userId() {
        return "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    }

    /** The {@code <memballoon>} of domain {@code i}. */
    public static String balloon(int i) {
        if (i % 11 == 0) {
            return "<memballoon model='none'/>";
        }
        if (i % 7 == 0) {
            return "<memballoon model='virtio'/>";
        }
        return "<memballoon model='virtio'><stats period='10'/></memballoon>";
    }
}
