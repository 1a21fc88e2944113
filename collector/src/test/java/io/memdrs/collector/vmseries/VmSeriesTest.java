package io.memdrs.collector.vmseries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memdrs.avro.DomainState;
import io.memdrs.avro.StatsHealth;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.instance.NovaInstance;
import io.memdrs.collector.model.BalloonConfig;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.MemoryStatTag;
import io.memdrs.collector.model.RawMemoryStats;
import io.memdrs.collector.model.VmSampleMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-VM series as Prometheus scrapes them from the collector's registry, for polls of randomly drawn VMs:
 * every combination of reported and missing balloon values, balloon models, periods, guest clocks, domain states and
 * nova metadata, mapped by the collector's own {@link VmSampleMapper}. The properties hold for every VM of every poll.
 */
class VmSeriesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String[] MODELS = {"virtio", "virtio", "virtio", "virtio-transitional", "none", null};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final VmSeries series = VmSeries.registerIn(registry.getPrometheusRegistry());
    private final VmSampleMapper mapper = new VmSampleMapper("az1", "node-7", true);

    /** One poll's worth of VMs. */
    private record Poll(List<VmMemorySample> vms, Map<String, NovaInstance> nova) {}

    @Test
    void shouldExportCeilometersMemoryUsageExactlyWhileTheStatisticsAreUsableAndNeverAsZero() {
        Random random = new Random(20261203);
        Set<StatsHealth> healthsSeen = new HashSet<>();
        int withCeilometer = 0;
        for (int round = 0; round < 40; round++) {
            Poll poll = poll(random, 1 + random.nextInt(60));
            Exposition scraped = scrape(poll);
            for (VmMemorySample vm : poll.vms()) {
                healthsSeen.add(vm.getHealth());
                List<Exposition.Series> usage = scraped.of(VmSeries.CEILOMETER_MEMORY_USAGE, vm.getVmUuid());
                boolean usable = (vm.getHealth() == StatsHealth.OK || vm.getHealth() == StatsHealth.PARTIAL)
                        && vm.getAvailableKiB() != null && vm.getUnusedKiB() != null;
                assertEquals(usable ? 1 : 0, usage.size(), () -> vm + " -> " + usage);
                if (usable) {
                    withCeilometer++;
                    assertEquals((vm.getAvailableKiB() - vm.getUnusedKiB()) / 1024.0, usage.get(0).value(), 1e-9);
                    assertEquals(Set.of("resource", "resource_name", "project", "user", "host"),
                            withEmpty(usage.get(0), poll.nova().get(vm.getVmUuid())), vm::toString);
                }
            }
        }
        assertTrue(withCeilometer > 100, "the generator made usable statistics: " + withCeilometer);
        assertTrue(healthsSeen.containsAll(Set.of(StatsHealth.OK, StatsHealth.PARTIAL, StatsHealth.NO_BALLOON,
                StatsHealth.STATS_PERIOD_DISABLED, StatsHealth.NEVER_REPORTED, StatsHealth.STALE,
                StatsHealth.NOT_RUNNING)), "the generator reached every health: " + healthsSeen);
    }

    @Test
    void shouldGiveEveryVmOneHealthOneUsageOneInfoSeriesAndEachRawValueOnlyWhenLibvirtReportedIt() {
        Random random = new Random(7);
        for (int round = 0; round < 40; round++) {
            Poll poll = poll(random, 1 + random.nextInt(60));
            Exposition scraped = scrape(poll);
            for (VmMemorySample vm : poll.vms()) {
                String uuid = vm.getVmUuid();
                List<Exposition.Series> health = scraped.of(VmSeries.HEALTH, uuid);
                assertEquals(1, health.size(), uuid);
                assertEquals(vm.getHealth().name(), health.get(0).label("health"));
                assertEquals(1.0, health.get(0).value());
                List<Exposition.Series> usage = scraped.of(VmSeries.USAGE, uuid);
                assertEquals(1, usage.size());
                assertEquals(vm.getUsageKiB() * 1024.0, usage.get(0).value());
                assertEquals(vm.getUsageSource().name(), usage.get(0).label("source"));
                assertEquals(1, scraped.of(VmSeries.INFO, uuid).size());
                assertEquals(vm.getVmName(), scraped.of(VmSeries.INFO, uuid).get(0).label("domain"));
                assertRaw(scraped, uuid, "memdrs_vm_available_bytes", vm.getAvailableKiB(), 1024);
                assertRaw(scraped, uuid, "memdrs_vm_unused_bytes", vm.getUnusedKiB(), 1024);
                assertRaw(scraped, uuid, "memdrs_vm_usable_bytes", vm.getUsableKiB(), 1024);
                assertRaw(scraped, uuid, "memdrs_vm_balloon_actual_bytes", vm.getActualKiB(), 1024);
                assertRaw(scraped, uuid, "memdrs_vm_rss_bytes", vm.getRssKiB(), 1024);
                assertRaw(scraped, uuid, "memdrs_vm_swap_in_bytes_total", vm.getSwapInKiB(), 1024);
                assertRaw(scraped, uuid, "memdrs_vm_swap_out_bytes_total", vm.getSwapOutKiB(), 1024);
                assertRaw(scraped, uuid, "memdrs_vm_major_faults_total", vm.getMajorFaults(), 1);
                Long lastUpdate = vm.getLastUpdateEpochSeconds() == null || vm.getLastUpdateEpochSeconds() <= 0 ? null
                        : vm.getLastUpdateEpochSeconds();
                assertRaw(scraped, uuid, "memdrs_vm_stats_last_update_seconds", lastUpdate, 1);
            }
            for (Exposition.Series s : scraped.series()) {
                if (s.name().startsWith("memdrs_vm_") || s.name().equals(VmSeries.CEILOMETER_MEMORY_USAGE)) {
                    assertTrue(VmSeries.NAMES.contains(s.name()), "named in VmSeries.NAMES: " + s.name());
                }
            }
        }
    }

    @Test
    void shouldNameVmsAsNovaDoesAndPlainLibvirtVmsByTheirDomain() {
        NovaInstance nova = new NovaInstance("web-1", "m1.large", "p-uuid", "shop", "u-uuid", "alice");
        VmMemorySample openstack = sample(domain("instance-0000002a", okStats(), nova));
        VmMemorySample plain = sample(domain("build-runner", okStats(), NovaInstance.NONE));

        Exposition scraped = scrape(new Poll(List.of(openstack, plain), Map.of(openstack.getVmUuid(), nova)));

        Exposition.Series os = scraped.of(VmSeries.CEILOMETER_MEMORY_USAGE, openstack.getVmUuid()).get(0);
        assertEquals(Map.of("resource", openstack.getVmUuid(), "resource_name", "web-1", "project", "p-uuid",
                "user", "u-uuid", "host", "node-7"), os.labels());
        Exposition.Series info = scraped.of(VmSeries.INFO, openstack.getVmUuid()).get(0);
        assertEquals("instance-0000002a", info.label("domain"));
        assertEquals("shop", info.label("project_name"));
        assertEquals("alice", info.label("user_name"));
        assertEquals("m1.large", info.label("flavor"));
        assertEquals("p-uuid", info.label("project"));
        assertEquals("u-uuid", info.label("user"));
        assertEquals("az1", info.label("cluster"));
        Exposition.Series bare = scraped.of(VmSeries.CEILOMETER_MEMORY_USAGE, plain.getVmUuid()).get(0);
        assertEquals(Map.of("resource", plain.getVmUuid(), "resource_name", "build-runner", "host", "node-7"),
                bare.labels());
    }

    @Test
    void shouldDropTheSeriesOfAVmThatWentAwayAtTheNextPollAndEverySeriesWhenAPollFails() {
        VmMemorySample stays = sample(domain("stays", okStats(), NovaInstance.NONE));
        VmMemorySample goes = sample(domain("goes", okStats(), NovaInstance.NONE));
        assertFalse(scrape(new Poll(List.of(stays, goes), Map.of())).of(VmSeries.HEALTH, goes.getVmUuid()).isEmpty());

        Exposition next = scrape(new Poll(List.of(stays), Map.of()));

        assertEquals(1, next.of(VmSeries.HEALTH, stays.getVmUuid()).size());
        assertTrue(next.series().stream().noneMatch(s -> goes.getVmUuid().equals(s.labels().get("resource"))),
                next::toString);
        series.clear();
        Exposition failed = Exposition.parse(registry.scrape());
        assertTrue(failed.series().stream().noneMatch(s -> s.labels().containsKey("resource")), failed::toString);
    }

    @Test
    void shouldKeepTheCollectorsOwnMetricsBesideThePerVmSeries() {
        registry.counter("memdrs.collector.remediations").increment();
        Exposition scraped = scrape(new Poll(List.of(sample(domain("a", okStats(), NovaInstance.NONE))), Map.of()));

        assertEquals(1.0, scraped.named("memdrs_collector_remediations_total").get(0).value());
        assertNotEquals(0, scraped.named(VmSeries.CEILOMETER_MEMORY_USAGE).size());
    }

    private Exposition scrape(Poll poll) {
        series.update(poll.vms(), poll.nova());
        return Exposition.parse(registry.scrape());
    }

    private static void assertRaw(Exposition scraped, String uuid, String name, Long value, long scale) {
        List<Exposition.Series> found = scraped.of(name, uuid);
        if (value == null) {
            assertEquals(List.of(), found, name + " of " + uuid + " was not reported: absent, not 0");
        } else {
            assertEquals(1, found.size(), name + " of " + uuid);
            assertEquals((double) value * scale, found.get(0).value(), name);
        }
    }

    /** The label keys of {@code s} plus those Prometheus dropped for an empty value (a VM without nova's metadata). */
    private static Set<String> withEmpty(Exposition.Series s, NovaInstance nova) {
        Set<String> keys = new HashSet<>(s.labels().keySet());
        if (nova == null || nova.projectId().isEmpty()) {
            keys.add("project");
        }
        if (nova == null || nova.userId().isEmpty()) {
            keys.add("user");
        }
        return keys;
    }

    private Poll poll(Random random, int vms) {
        List<VmMemorySample> samples = new ArrayList<>();
        Map<String, NovaInstance> nova = new HashMap<>();
        for (int i = 0; i < vms; i++) {
            NovaInstance instance = random.nextInt(3) == 0 ? NovaInstance.NONE : new NovaInstance(
                    "vm " + random.nextInt(1000) + (random.nextBoolean() ? " \"quoted\" \\ back" : ""),
                    random.nextBoolean() ? "m1.small" : "", "p" + random.nextInt(5), "project",
                    random.nextBoolean() ? "u" + random.nextInt(9) : "", "user");
            DomainSnapshot domain = randomDomain(random, instance);
            samples.add(mapper.map(domain, NOW, null));
            if (instance.present()) {
                nova.put(domain.uuid(), instance);
            }
        }
        return new Poll(samples, nova);
    }

    private static DomainSnapshot randomDomain(Random random, NovaInstance nova) {
        long available = (64 + random.nextInt(16_384)) * 1024L;
        Map<MemoryStatTag, Long> stats = new EnumMap<>(MemoryStatTag.class);
        for (MemoryStatTag tag : MemoryStatTag.values()) {
            if (random.nextInt(5) == 0) {
                continue;
            }
            long value = switch (tag) {
                case AVAILABLE, ACTUAL_BALLOON -> available;
                case UNUSED, USABLE, DISK_CACHES -> (long) (available * random.nextDouble());
                case RSS -> (long) (available * (0.2 + random.nextDouble()));
                case LAST_UPDATE -> switch (random.nextInt(4)) {
                    case 0 -> 0L;
                    case 1 -> NOW.getEpochSecond() - 3600;
                    default -> NOW.getEpochSecond() - random.nextInt(15);
                };
                default -> (long) random.nextInt(1_000_000);
            };
            stats.put(tag, value);
        }
        String model = MODELS[random.nextInt(MODELS.length)];
        BalloonConfig balloon = model == null ? BalloonConfig.ABSENT
                : new BalloonConfig(model, random.nextInt(3) == 0 ? 0 : 10);
        DomainState state = random.nextInt(12) == 0 ? DomainState.PAUSED : DomainState.RUNNING;
        long current = available + random.nextInt(1024) * 1024L;
        return new DomainSnapshot(UUID.randomUUID().toString(), "dom-" + random.nextInt(100_000), state,
                current * 2, current, RawMemoryStats.of(stats), balloon, nova);
    }

    private static Map<MemoryStatTag, Long> okStats() {
        Map<MemoryStatTag, Long> stats = new EnumMap<>(MemoryStatTag.class);
        stats.put(MemoryStatTag.AVAILABLE, 4_000_000L);
        stats.put(MemoryStatTag.UNUSED, 1_000_000L);
        stats.put(MemoryStatTag.USABLE, 2_000_000L);
        stats.put(MemoryStatTag.ACTUAL_BALLOON, 4_194_304L);
        stats.put(MemoryStatTag.RSS, 3_000_000L);
        stats.put(MemoryStatTag.LAST_UPDATE, NOW.getEpochSecond() - 2);
        return stats;
    }

    private static DomainSnapshot domain(String name, Map<MemoryStatTag, Long> stats, NovaInstance nova) {
        return new DomainSnapshot(UUID.nameUUIDFromBytes(name.getBytes()).toString(), name, DomainState.RUNNING,
                8_388_608, 4_194_304, RawMemoryStats.of(stats), new BalloonConfig("virtio", 10), nova);
    }

    private VmMemorySample sample(DomainSnapshot domain) {
        return mapper.map(domain, NOW, null);
    }
}
