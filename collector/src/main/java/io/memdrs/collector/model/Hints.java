package io.memdrs.collector.model;

import static io.memdrs.collector.model.MemoryStatTag.AVAILABLE;
import static io.memdrs.collector.model.MemoryStatTag.UNUSED;
import static io.memdrs.collector.model.MemoryStatTag.USABLE;

import io.memdrs.avro.UsageSource;

/** The one-line operator hint of a sample: which VM, what is wrong, and the concrete fix. */
final class Hints {

    /** The stats period the hints recommend; nova's default {@code mem_stats_period_seconds}. */
    static final int RECOMMENDED_PERIOD_SECONDS = 10;

    private Hints() {
    }

    static String hint(DomainSnapshot domain, Diagnosis diagnosis, Usage usage) {
        String vm = "VM " + domain.name();
        String evidence = diagnosis.evidence();
        return switch (diagnosis.health()) {
            case NOT_RUNNING -> notRunning(vm, domain);
            case NO_BALLOON -> vm + ": " + evidence + ", so no balloon stats: "
                    + (domain.balloon().model() == null ? "add" : "replace it with")
                    + " <memballoon model='virtio'><stats period='" + RECOMMENDED_PERIOD_SECONDS
                    + "'/></memballoon> in the domain XML and cold-boot the VM (a balloon cannot be hot-plugged)";
            case INVALID -> vm + ": balloon stats inconsistent (" + evidence + "), guest values ignored; "
                    + invalidFix(diagnosis);
            case NEVER_REPORTED -> vm + ": the guest never reported balloon stats (" + evidence + "): in a Linux guest"
                    + " load the driver (modprobe virtio_balloon); in a Windows guest install the virtio-win balloon"
                    + " driver and start the blnsvr service (blnsvr.exe -i)"
                    + (domain.balloon().statsPeriodSeconds() == 0 ? "; then " + enableStats(domain) : "");
            case STATS_PERIOD_DISABLED -> vm + ": balloon has no stats period: values frozen since the guest driver"
                    + " loaded; set <stats period='" + RECOMMENDED_PERIOD_SECONDS + "'/> in the domain XML or run: "
                    + enableStats(domain);
            case STALE -> vm + ": balloon stats stale: " + evidence + "; check that the guest is alive and its"
                    + " balloon driver (blnsvr on Windows) still runs, then re-apply the period: "
                    + enableStats(domain, domain.balloon().statsPeriodSeconds());
            case PARTIAL -> vm + ": " + partial(domain.stats(), evidence, usage);
            case OK -> vm + ": balloon stats OK, " + evidence;
            default -> vm + ": balloon stats health " + diagnosis.health() + ": " + evidence;
        };
    }

    private static String invalidFix(Diagnosis diagnosis) {
        String driver = "update the guest balloon driver (virtio-win on Windows)";
        String clock = "check NTP on the host and in the guest";
        if (diagnosis.clockSuspect() && diagnosis.driverSuspect()) {
            return driver + " and " + clock;
        }
        return diagnosis.clockSuspect() ? clock : driver;
    }

    private static String notRunning(String vm, DomainSnapshot domain) {
        String name = domain.name();
        String common = "balloon stats are read only while it runs";
        return switch (domain.state()) {
            case SHUTOFF -> vm + " is shut off: it holds no memory on this host and " + common
                    + "; start it if it should run: virsh start " + name;
            case SHUTDOWN -> vm + " is shutting down: " + common
                    + "; if it hangs there, force it off: virsh destroy " + name;
            case PAUSED -> vm + " is paused: " + common + "; resume it if it should run: virsh resume " + name;
            case PMSUSPENDED -> vm + " is suspended by its guest: " + common
                    + "; wake it if it should run: virsh dompmwakeup " + name;
            case CRASHED -> vm + " has crashed: " + common + "; inspect its QEMU log, then restart it: virsh destroy "
                    + name + " && virsh start " + name;
            default -> vm + " is in state " + domain.state() + ": " + common + "; check: virsh domstate " + name
                    + " --reason";
        };
    }

    private static String partial(RawMemoryStats stats, String evidence, Usage usage) {
        if (!stats.has(USABLE) && stats.has(AVAILABLE) && stats.has(UNUSED)) {
            return evidence + " (guest kernel older than 4.6): usage is available - unused, which counts page cache"
                    + " as used; upgrade the guest kernel to 4.6 or later for exact usage";
        }
        return evidence + ": usage falls back to " + describe(usage.source())
                + "; update the guest balloon driver (virtio-win on Windows)";
    }

    private static String describe(UsageSource source) {
        return switch (source) {
            case USABLE -> "available - usable";
            case UNUSED -> "available - unused";
            case HOST_RSS -> "the host RSS";
            default -> "the allocation";
        };
    }

    private static String enableStats(DomainSnapshot domain) {
        return enableStats(domain, RECOMMENDED_PERIOD_SECONDS);
    }

    private static String enableStats(DomainSnapshot domain, int period) {
        return "memdrs collector enable-stats --period " + period + " --domain " + domain.name();
    }
}
