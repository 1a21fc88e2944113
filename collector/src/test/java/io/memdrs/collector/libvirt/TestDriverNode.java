package io.memdrs.collector.libvirt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * libvirt test-driver node files ({@code test:///abs/path.xml}): a host with {@code n} running domains, each with a
 * virtio balloon and a 10 s stats period, except every seventh without a period and every eleventh with
 * {@code <memballoon model='none'/>}. Domain {@code i} is named {@code vm-<i>} with a UUID ending in {@code i}.
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
