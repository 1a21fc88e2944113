package io.memdrs.collector.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code memdrs collector doctor} prints: one row per VM, as a table or JSON. Pure. */
public final class DoctorReport {
    private final String uri;
    private final String driver;
    private final boolean guestClockTrusted;
    private final Instant now;
    private final List<VmMemorySample> vms;

    public DoctorReport(String uri, String driver, boolean guestClockTrusted, Instant now, List<VmMemorySample> vms) {
        this.uri = uri;
        this.driver = driver;
        this.guestClockTrusted = guestClockTrusted;
        this.now = now;
        this.vms = List.copyOf(vms);
    }

    /** A running VM whose statistics cannot drive decisions (neither OK nor PARTIAL). */
    public static boolean unusable(VmMemorySample vm) {
        return vm.getHealth() != StatsHealth.OK && vm.getHealth() != StatsHealth.PARTIAL
                && vm.getHealth() != StatsHealth.NOT_RUNNING;
    }

    public List<VmMemorySample> unusableVms() {
        return vms.stream().filter(DoctorReport::unusable).toList();
    }

    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VM", "STATE", "BALLOON", "PERIOD", "LAST_UPDATE_AGE", "USAGE_MiB", "SOURCE", "HEALTH", "HINT"});
        for (VmMemorySample vm : vms) {
            rows.add(new String[] {vm.getVmName(), vm.getDomainState().name(),
                    vm.getBalloonModel() == null ? "absent" : vm.getBalloonModel(),
                    vm.getStatsPeriodSeconds() == null ? "-" : vm.getStatsPeriodSeconds() + "s",
                    lastUpdateAge(vm), Long.toString(vm.getUsageKiB() / 1024), vm.getUsageSource().name(),
                    vm.getHealth().name(), vm.getHint()});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("libvirt ").append(uri).append(" (driver ").append(driver).append(")");
        if (!guestClockTrusted) {
            out.append(": no guest clock on this driver, freshness not checked");
        }
        out.append('\n');
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            out.append('\n');
        }
        long unusable = unusableVms().size();
        out.append(vms.size()).append(" VMs, ").append(unusable).append(unusable == 1 ? " has" : " have")
                .append(" statistics that cannot be used").append('\n');
        return out.toString();
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("uri", uri);
        root.put("driver", driver);
        root.put("freshnessChecked", guestClockTrusted);
        root.put("time", now.toString());
        List<Map<String, Object>> list = new ArrayList<>();
        for (VmMemorySample vm : vms) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("uuid", vm.getVmUuid());
            row.put("name", vm.getVmName());
            row.put("state", vm.getDomainState().name());
            row.put("balloonModel", vm.getBalloonModel());
            row.put("statsPeriodSeconds", vm.getStatsPeriodSeconds());
            row.put("lastUpdateEpochSeconds", vm.getLastUpdateEpochSeconds());
            row.put("usageKiB", vm.getUsageKiB());
            row.put("usageSource", vm.getUsageSource().name());
            row.put("health", vm.getHealth().name());
            row.put("usable", !unusable(vm));
            row.put("hint", vm.getHint());
            row.put("stats", rawStats(vm));
            list.add(row);
        }
        root.put("vms", list);
        root.put("unusable", unusableVms().size());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The balloon values as libvirt reported them, KiB or counts; null where libvirt reported nothing. */
    private static Map<String, Object> rawStats(VmMemorySample vm) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("actualKiB", vm.getActualKiB());
        stats.put("availableKiB", vm.getAvailableKiB());
        stats.put("usableKiB", vm.getUsableKiB());
        stats.put("unusedKiB", vm.getUnusedKiB());
        stats.put("diskCachesKiB", vm.getDiskCachesKiB());
        stats.put("rssKiB", vm.getRssKiB());
        stats.put("swapInKiB", vm.getSwapInKiB());
        stats.put("swapOutKiB", vm.getSwapOutKiB());
        stats.put("majorFaults", vm.getMajorFaults());
        stats.put("minorFaults", vm.getMinorFaults());
        stats.put("hugetlbPgalloc", vm.getHugetlbPgalloc());
        stats.put("hugetlbPgfail", vm.getHugetlbPgfail());
        stats.put("maxMemoryKiB", vm.getMaxMemoryKiB());
        stats.put("currentMemoryKiB", vm.getCurrentMemoryKiB());
        return stats;
    }

    private String lastUpdateAge(VmMemorySample vm) {
        Long last = vm.getLastUpdateEpochSeconds();
        if (vm.getDomainState() != DomainState.RUNNING && vm.getDomainState() != DomainState.BLOCKED) {
            return "-";
        }
        if (last == null || last == 0) {
            return "never";
        }
        if (!guestClockTrusted) {
            return "n/a";
        }
        return Math.max(0, now.getEpochSecond() - last) + "s";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
