package io.memdrs.demo;

import io.memdrs.collector.libvirt.LibvirtUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;

/**
 * Drifts guest memory like a day in a cloud: every tick some VMs of the current "hot" host grow (libvirt setmem,
 * which the test driver turns into new balloon statistics) and a few elsewhere shrink. The hot host changes every
 * few ticks, so the DRS always has something to answer.
 */
final class LoadDrifter {
    private static final long MIN_KIB = 512 * 1024;
    private final List<DemoHost> hosts;
    private final Random random;
    private int tick;

    LoadDrifter(List<DemoHost> hosts, long seed) {
        this.hosts = hosts;
        this.random = new Random(seed);
    }

    /** One drift step; returns a line describing it. */
    String tick() throws LibvirtUnavailableException {
        DemoHost hot = hosts.get((tick++ / 6) % hosts.size());
        int grown = resize(hot, 2, 1.10, 1.30);
        int shrunk = 0;
        for (DemoHost host : hosts) {
            if (host != hot) {
                shrunk += resize(host, 1, 0.85, 0.97);
            }
        }
        return "drift: " + grown + " VMs on " + hot.name() + " grew, " + shrunk + " elsewhere shrank";
    }

    private int resize(DemoHost host, int count, double minFactor, double maxFactor) throws LibvirtUnavailableException {
        return host.call("drift", c -> {
            List<Domain> domains = new ArrayList<>(List.of(c.listAllDomains(1)));
            int changed = 0;
            for (int i = 0; i < count && !domains.isEmpty(); i++) {
                Domain d = domains.remove(random.nextInt(domains.size()));
                DomainInfo info = d.getInfo();
                double factor = minFactor + random.nextDouble() * (maxFactor - minFactor);
                long target = Math.max(MIN_KIB, Math.min(info.maxMem, Math.round(info.memory * factor)));
                if (target != info.memory) {
                    d.setMemory(target);
                    changed++;
                }
            }
            for (Domain d : domains) {
                d.free();
            }
            return changed;
        });
    }
}
