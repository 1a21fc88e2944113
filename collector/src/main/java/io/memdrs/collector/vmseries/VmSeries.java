package io.memdrs.collector.vmseries;

import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.Collector;
import io.memdrs.collector.instance.NovaInstance;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The per-VM series of the collector's {@code /metrics}, as of the last successful poll: Ceilometer's
 * {@code ceilometer_memory_usage} for OpenStack Watcher's Prometheus datasource, and memdrs' own gauges of each VM's
 * balloon statistics, derived usage and statistics health.
 *
 * <p>Labels: {@code ceilometer_memory_usage} has Ceilometer's {@code resource} (the VM UUID), {@code resource_name},
 * {@code project}, {@code user} (nova's project and user UUIDs; empty for a VM nova does not manage) and
 * {@code host}. The {@code memdrs_vm_*} series have {@code cluster}, {@code host}, {@code resource} and
 * {@code resource_name}; {@code memdrs_vm_info} (value 1) adds the domain name and nova's project, user and flavor,
 * to join on {@code resource} where a panel needs them. Keeping those off the other series keeps a scrape of
 * 1,000 VMs at about 2 MB.
 *
 * <p>A poll replaces the whole set at once ({@link #update}), so a VM that went away has no series from the next
 * poll on, and a value that libvirt did not report is absent, never 0. A failed poll {@link #clear}s the set: while
 * the collector cannot read libvirt it knows no VM's memory. A scrape only writes what the last poll built.
 */
public final class VmSeries implements MultiCollector {
    public static final String CEILOMETER_MEMORY_USAGE = "ceilometer_memory_usage";
    public static final String INFO = "memdrs_vm_info";
    public static final String HEALTH = "memdrs_vm_stats_health";
    public static final String USAGE = "memdrs_vm_usage_bytes";

    /** A per-VM value memdrs exports as it came from libvirt, scaled to the series' unit. */
    private record Raw(String name, String help, Unit unit, boolean counter, Function<VmMemorySample, Long> value,
                       long scale) {}

    private static final List<Raw> RAW = List.of(
            kib("memdrs_vm_balloon_actual_bytes", "Current balloon size (libvirt actual)", VmMemorySample::getActualKiB),
            kib("memdrs_vm_available_bytes", "Memory the guest sees (libvirt available, MemTotal)",
                    VmMemorySample::getAvailableKiB),
            kib("memdrs_vm_unused_bytes", "Memory the guest leaves unused (libvirt unused, MemFree)",
                    VmMemorySample::getUnusedKiB),
            kib("memdrs_vm_usable_bytes", "Memory the guest could use without swapping (libvirt usable, MemAvailable)",
                    VmMemorySample::getUsableKiB),
            kib("memdrs_vm_disk_caches_bytes", "Guest page cache that can be reclaimed (libvirt disk_caches)",
                    VmMemorySample::getDiskCachesKiB),
            kib("memdrs_vm_rss_bytes", "Resident set size of the QEMU process on the host (libvirt rss)",
                    VmMemorySample::getRssKiB),
            kib("memdrs_vm_current_memory_bytes", "Memory allocated to the domain (its balloon target)",
                    VmMemorySample::getCurrentMemoryKiB),
            new Raw("memdrs_vm_swap_in_bytes", "Memory swapped in by the guest since it booted (libvirt swap_in)",
                    Unit.BYTES, true, VmMemorySample::getSwapInKiB, 1024),
            new Raw("memdrs_vm_swap_out_bytes", "Memory swapped out by the guest since it booted (libvirt swap_out)",
                    Unit.BYTES, true, VmMemorySample::getSwapOutKiB, 1024),
            new Raw("memdrs_vm_major_faults", "Major page faults in the guest since it booted (libvirt major_fault)",
                    null, true, VmMemorySample::getMajorFaults, 1),
            new Raw("memdrs_vm_stats_last_update_seconds",
                    "When the guest last refreshed its balloon statistics, epoch seconds of the guest clock",
                    Unit.SECONDS, false, vm -> positive(vm.getLastUpdateEpochSeconds()), 1),
            new Raw("memdrs_vm_stats_period_seconds", "Balloon statistics period of the live domain XML; 0: none set",
                    Unit.SECONDS, false, vm -> vm.getStatsPeriodSeconds() == null ? null
                    : (long) vm.getStatsPeriodSeconds(), 1));

    /** The metric family names, as the registry knows them (counters without their _total). */
    private static final List<String> FAMILIES;
    /** Every series name this collector writes, as Prometheus shows it (counters with their _total). */
    public static final List<String> NAMES;

    static {
        List<String> families = new ArrayList<>(List.of(CEILOMETER_MEMORY_USAGE, INFO, HEALTH, USAGE));
        List<String> names = new ArrayList<>(families);
        RAW.forEach(raw -> {
            families.add(raw.name());
            names.add(raw.counter() ? raw.name() + "_total" : raw.name());
        });
        FAMILIES = List.copyOf(families);
        NAMES = List.copyOf(names);
    }

    private volatile MetricSnapshots current = new MetricSnapshots();

    /** A new, empty set registered with {@code registry} (e.g. the Micrometer Prometheus registry's own). */
    public static VmSeries registerIn(PrometheusRegistry registry) {
        VmSeries series = new VmSeries();
        registry.register(series);
        return series;
    }

    /**
     * A new set registered with {@code registry} that follows {@code collector}: replaced after each successful poll,
     * cleared after each failed one.
     */
    public static VmSeries following(Collector collector, PrometheusRegistry registry) {
        VmSeries series = registerIn(registry);
        collector.addPollListener(report -> series.update(report.vms(), report.nova()));
        collector.addPollFailureListener(series::clear);
        return series;
    }

    /**
     * Replaces every series with those of the VMs of one poll.
     *
     * @param vms the poll's samples
     * @param nova nova's metadata of those of them that have it, by VM UUID
     */
    public void update(List<VmMemorySample> vms, Map<String, NovaInstance> nova) {
        Families families = new Families();
        for (VmMemorySample vm : vms) {
            families.add(vm, nova.getOrDefault(vm.getVmUuid(), NovaInstance.NONE));
        }
        current = families.build();
    }

    /** No series: the collector cannot read libvirt now. */
    public void clear() {
        current = new MetricSnapshots();
    }

    @Override
    public MetricSnapshots collect() {
        return current;
    }

    @Override
    public List<String> getPrometheusNames() {
        return FAMILIES;
    }

    /** The data points of one poll, family by family. */
    private static final class Families {
        private final GaugeSnapshot.Builder ceilometer = GaugeSnapshot.builder().name(CEILOMETER_MEMORY_USAGE)
                .help("Memory used by the guest, MB: available - unused of its balloon statistics (Ceilometer's"
                        + " memory.usage); absent while those statistics cannot be used");
        private final GaugeSnapshot.Builder info = GaugeSnapshot.builder().name(INFO)
                .help("1 per VM, with its libvirt domain name and nova's project, user and flavor names");
        private final GaugeSnapshot.Builder health = GaugeSnapshot.builder().name(HEALTH)
                .help("1 per VM, labelled with the health of its balloon statistics (OK, PARTIAL, NO_BALLOON,"
                        + " STATS_PERIOD_DISABLED, NEVER_REPORTED, STALE, INVALID, NOT_RUNNING)");
        private final GaugeSnapshot.Builder usage = GaugeSnapshot.builder().name(USAGE).unit(Unit.BYTES)
                .help("Memory the guest really uses as memdrs derives it, labelled with where the value comes from");
        private final List<MetricSnapshot.Builder<?>> raw = new ArrayList<>(RAW.size());

        Families() {
            for (Raw r : RAW) {
                MetricSnapshot.Builder<?> b = r.counter() ? CounterSnapshot.builder() : GaugeSnapshot.builder();
                b.name(r.name()).help(r.help());
                if (r.unit() != null) {
                    b.unit(r.unit());
                }
                raw.add(b);
            }
        }

        void add(VmMemorySample vm, NovaInstance nova) {
            String name = nova.nameOr(vm.getVmName());
            Labels labels = Labels.of("cluster", vm.getCluster(), "host", vm.getHost(), "resource", vm.getVmUuid(),
                    "resource_name", name);
            OptionalDouble mb = CeilometerMemoryUsage.megabytes(vm);
            if (mb.isPresent()) {
                ceilometer.dataPoint(gauge(Labels.of("resource", vm.getVmUuid(), "resource_name", name,
                        "project", nova.projectId(), "user", nova.userId(), "host", vm.getHost()), mb.getAsDouble()));
            }
            info.dataPoint(gauge(labels.merge(new String[] {"domain", "project", "project_name", "user", "user_name",
                "flavor"}, new String[] {vm.getVmName(), nova.projectId(), nova.projectName(), nova.userId(),
                nova.userName(), nova.flavor()}), 1));
            health.dataPoint(gauge(labels.add("health", vm.getHealth().name()), 1));
            usage.dataPoint(gauge(labels.add("source", vm.getUsageSource().name()), vm.getUsageKiB() * 1024.0));
            for (int i = 0; i < RAW.size(); i++) {
                Raw r = RAW.get(i);
                Long value = r.value().apply(vm);
                if (value == null) {
                    continue;
                }
                double scaled = (double) value * r.scale();
                if (r.counter()) {
                    ((CounterSnapshot.Builder) raw.get(i)).dataPoint(CounterSnapshot.CounterDataPointSnapshot
                            .builder().labels(labels).value(scaled).build());
                } else {
                    ((GaugeSnapshot.Builder) raw.get(i)).dataPoint(gauge(labels, scaled));
                }
            }
        }

        MetricSnapshots build() {
            List<MetricSnapshot.Builder<?>> builders = new ArrayList<>(List.of(ceilometer, info, health, usage));
            builders.addAll(raw);
            List<MetricSnapshot> all = new ArrayList<>(builders.size());
            for (MetricSnapshot.Builder<?> b : builders) {
                MetricSnapshot s = b.build();
                if (!s.getDataPoints().isEmpty()) {
                    all.add(s);
                }
            }
            return new MetricSnapshots(all);
        }

        private static GaugeSnapshot.GaugeDataPointSnapshot gauge(Labels labels, double value) {
            return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
        }
    }

    private static Long positive(Long v) {
        return v == null || v <= 0 ? null : v;
    }

    private static Raw kib(String name, String help, Function<VmMemorySample, Long> value) {
        return new Raw(name, help, Unit.BYTES, false, value, 1024);
    }
}
