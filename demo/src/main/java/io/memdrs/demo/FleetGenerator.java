package io.memdrs.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Generates the demo fleet: libvirt test-driver node files ({@code <node>} with its memory and domains), hosts of
 * equal size, VMs of varied sizes, a few of them without a balloon or without a stats period so that the health
 * diagnosis shows up. Deterministic for a seed. Pure.
 */
public final class FleetGenerator {
    /** One generated VM. */
    public record Vm(String name, String uuid, long maxKiB, long currentKiB, BalloonKind balloon) {}

    /** One generated host: its name, physical memory and VMs. */
    public record Host(String name, long memoryKiB, List<Vm> vms) {}

    /** How a VM's balloon is configured. */
    public enum BalloonKind { WITH_PERIOD, NO_PERIOD, NONE }

    private static final long GIB = 1024 * 1024;
    private static final long[] SIZES_GIB = {2, 4, 4, 8, 8, 16};

    private FleetGenerator() {}

    public static List<Host> generate(int hosts, int vmsPerHost, long seed) {
        Random random = new Random(seed);
        List<Host> fleet = new ArrayList<>();
        for (int h = 1; h <= hosts; h++) {
            List<Vm> vms = new ArrayList<>();
            for (int v = 1; v <= vmsPerHost; v++) {
                long max = SIZES_GIB[random.nextInt(SIZES_GIB.length)] * GIB;
                // Hot spots from the start: the first host's VMs are fuller than the rest.
                double fill = h == 1 ? 0.7 + 0.3 * random.nextDouble() : 0.3 + 0.4 * random.nextDouble();
                long current = Math.max(GIB / 2, Math.round(max * fill / 1024) * 1024);
                int index = (h - 1) * vmsPerHost + v;
                BalloonKind kind = index % 11 == 0 ? BalloonKind.NONE : index % 7 == 0 ? BalloonKind.NO_PERIOD : BalloonKind.WITH_PERIOD;
                String uuid = new UUID(0x6d656d6472730000L | h, index).toString();
                vms.add(new Vm(String.format("vm-%02d-%02d", h, v), uuid, max, current, kind));
            }
            // Sized so that an average host runs about half full on the test driver (usage = half the allocation).
            fleet.add(new Host(String.format("host-%02d", h), Math.max(16, 4L * vmsPerHost) * GIB, vms));
        }
        return fleet;
    }

    /** The test driver's node file for one host. */
    public static String nodeXml(Host host) {
        StringBuilder xml = new StringBuilder();
        xml.append("<node>\n  <cpu><nodes>1</nodes><sockets>2</sockets><cores>8</cores><threads>2</threads>")
                .append("<active>32</active><mhz>2400</mhz><model>x86_64</model></cpu>\n")
                .append("  <memory>").append(host.memoryKiB()).append("</memory>\n");
        for (Vm vm : host.vms()) {
            xml.append("  <domain type='test'>\n")
                    .append("    <name>").append(vm.name()).append("</name>\n")
                    .append("    <uuid>").append(vm.uuid()).append("</uuid>\n")
                    .append("    <memory unit='KiB'>").append(vm.maxKiB()).append("</memory>\n")
                    .append("    <currentMemory unit='KiB'>").append(vm.currentKiB()).append("</currentMemory>\n")
                    .append("    <vcpu>2</vcpu>\n    <os><type>hvm</type></os>\n    <devices>");
            switch (vm.balloon()) {
                case WITH_PERIOD -> xml.append("<memballoon model='virtio'><stats period='10'/></memballoon>");
                case NO_PERIOD -> xml.append("<memballoon model='virtio'/>");
                case NONE -> xml.append("<memballoon model='none'/>");
            }
            xml.append("</devices>\n  </domain>\n");
        }
        return xml.append("</node>\n").toString();
    }
}
