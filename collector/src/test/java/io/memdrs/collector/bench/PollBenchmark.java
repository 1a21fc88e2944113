package io.memdrs.collector.bench;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.memdrs.avro.HostMemorySample;
import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.host.HostSampleMapper;
import io.memdrs.collector.instance.NovaInstance;
import io.memdrs.collector.libvirt.LibvirtNative;
import io.memdrs.collector.libvirt.LibvirtReader;
import io.memdrs.collector.libvirt.LibvirtSession;
import io.memdrs.collector.libvirt.TestDriverNode;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.MemoryStatTag;
import io.memdrs.collector.metrics.CollectorMetrics;
import io.memdrs.collector.metrics.MetricsServer;
import io.memdrs.collector.model.VmSampleMapper;
import io.memdrs.collector.vmseries.VmSeries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.memdrs.schemas.AvroSerde;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * Cost of one collector poll against libvirt test-driver hosts of 10, 100 and 1,000 running domains (or any URI
 * given with {@code --uri}): the bare libvirt calls (baseline) against the full poll (read + map + Avro encode), and
 * the per-domain calls against one {@code virConnectGetAllDomainStats}. Wall time and CPU time (ThreadMXBean: the
 * benchmark thread plus the connection's libvirt thread; GC and JIT threads not counted) per poll, median with min
 * and max over repeated polls (at least {@code --polls}, more on small hosts), after warm-up polls; then the ratios
 * and the process RSS after the largest host. Per host size also a Prometheus scrape of the collector's
 * {@code /metrics} after a poll, with the per-VM series against the collector's own metrics alone.
 *
 * <p>Run (see BENCHMARKS.md): {@code PollBenchmark [--sizes 10,100,1000] [--polls N] [--uri URI]}.
 */
public final class PollBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One measured case: a name and one poll's worth of work. */
    private record Case(String name, Poll poll) {}

    @FunctionalInterface
    private interface Poll {
        int run() throws Exception;
    }

    /** Median, min and max of a series, in milliseconds. */
    private record Stat(double median, double min, double max) {
        static Stat of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
            return new Stat(median / 1e6, s[0] / 1e6, s[s.length - 1] / 1e6);
        }

        String format() {
            return String.format(Locale.ROOT, "%9.3f (%.3f–%.3f)", median, min, max);
        }
    }

    private record Result(int domains, String name, Stat wall, Stat cpu, int samples) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int minPolls = Integer.parseInt(options.getOrDefault("--polls", "15"));
        List<Result> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, "collector poll benchmark: %d cores, Java %s (%s), libvirt.so.0%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
        if (options.containsKey("--uri")) {
            results.addAll(measure(options.get("--uri"), -1, minPolls));
        } else {
            Path dir = Files.createDirectories(Path.of(options.getOrDefault("--dir", "target/bench")));
            for (String size : options.getOrDefault("--sizes", "10,100,1000").split(",")) {
                int n = Integer.parseInt(size.trim());
                String uri = TestDriverNode.write(dir.resolve("node-" + n + ".xml"), n);
                results.addAll(measure(uri, n, Math.max(minPolls, 3000 / n)));
            }
        }
        print(results);
        long rss = procStatusKiB("VmRSS");
        long peak = procStatusKiB("VmHWM");
        System.gc();
        System.out.printf(Locale.ROOT, "process RSS after the last host: %d MiB (peak %d MiB; max heap %d MiB), "
                        + "heap in use after a full GC %.1f MiB%n", rss / 1024, peak / 1024,
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024.0 * 1024));
    }

    private static List<Result> measure(String uri, int expectedDomains, int polls) throws Exception {
        System.out.printf(Locale.ROOT, "measuring %s: %d polls per case%n", uri, polls);
        try (LibvirtSession session = LibvirtSession.open(uri, true, Duration.ofSeconds(60))) {
            long sessionThread = threadIdOf("libvirt " + uri);
            FullPoll perDomain = new FullPoll(new LibvirtReader(session, LibvirtReader.StatsSource.PER_DOMAIN),
                    session.guestClockTrusted());
            FullPoll bulk = new FullPoll(new LibvirtReader(session, LibvirtReader.StatsSource.BULK),
                    session.guestClockTrusted());
            List<Case> cases = List.of(
                    new Case("bare per-domain calls", () -> session.call("bare", PollBenchmark::barePerDomain)),
                    new Case("bare bulk call", () -> session.call("bare", c -> bareBulk(c))),
                    new Case("full poll, per-domain", perDomain::run),
                    new Case("full poll, bulk", bulk::run),
                    new Case("full poll, per-domain, XML uncached", () -> new FullPoll(
                            new LibvirtReader(session, LibvirtReader.StatsSource.PER_DOMAIN),
                            session.guestClockTrusted()).run()));
            int domains = session.call("count", c -> c.listAllDomains(1).length);
            if (expectedDomains >= 0 && domains != expectedDomains) {
                throw new IllegalStateException(uri + " runs " + domains + " domains, expected " + expectedDomains);
            }
            List<Result> results = new ArrayList<>(run(cases, domains, Math.max(3, 2000 / Math.max(1, domains)), polls,
                    () -> cpuNanos(sessionThread)));
            results.addAll(measureScrapes(session, domains, polls));
            return results;
        }
    }

    /**
     * What Prometheus costs the collector: a scrape of {@code /metrics} after a poll, over loopback HTTP as Prometheus
     * makes it and the registry's formatting alone, with the per-VM series ({@code collector.metrics.per-vm}, the
     * default) against the collector's own metrics only (the baseline).
     */
    private static List<Result> measureScrapes(LibvirtSession session, int domains, int polls) throws Exception {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new CollectorMetrics(own, "bench");
        PrometheusMeterRegistry perVm = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new CollectorMetrics(perVm, "bench");
        VmSeries series = VmSeries.registerIn(perVm.getPrometheusRegistry());
        LibvirtReader.Poll poll = new LibvirtReader(session).read(false);
        VmSampleMapper mapper = new VmSampleMapper("bench", "node-1", session.guestClockTrusted());
        Instant now = Instant.now();
        List<VmMemorySample> vms = new ArrayList<>();
        Map<String, NovaInstance> nova = new HashMap<>();
        for (DomainSnapshot domain : poll.domains()) {
            vms.add(mapper.map(domain, now, null));
            if (domain.nova().present()) {
                nova.put(domain.uuid(), domain.nova());
            }
        }
        series.update(vms, nova);
        HttpClient http = HttpClient.newHttpClient();
        try (MetricsServer ownServer = new MetricsServer(own, "127.0.0.1", 0);
             MetricsServer perVmServer = new MetricsServer(perVm, "127.0.0.1", 0)) {
            List<Case> cases = List.of(
                    new Case("scrape, own metrics (format)", () -> format(own)),
                    new Case("scrape, per-VM series (format)", () -> format(perVm)),
                    new Case("GET /metrics, own metrics", () -> get(http, ownServer.port())),
                    new Case("GET /metrics, per-VM series", () -> get(http, perVmServer.port())));
            return run(cases, domains, Math.max(20, 20_000 / Math.max(1, domains)), polls,
                    THREADS::getCurrentThreadCpuTime);
        }
    }

    /** Runs each case {@code warmup} times, then {@code times} times measured: wall time and {@code cpu}'s delta. */
    private static List<Result> run(List<Case> cases, int domains, int warmup, int times, LongSupplier cpu)
            throws Exception {
        List<Result> results = new ArrayList<>();
        for (Case c : cases) {
            for (int i = 0; i < warmup; i++) {
                c.poll().run();
            }
            long[] wall = new long[times];
            long[] cpuNanos = new long[times];
            int samples = 0;
            for (int i = 0; i < times; i++) {
                long cpu0 = cpu.getAsLong();
                long t0 = System.nanoTime();
                samples = c.poll().run();
                wall[i] = System.nanoTime() - t0;
                cpuNanos[i] = cpu.getAsLong() - cpu0;
            }
            results.add(new Result(domains, c.name(), Stat.of(wall), Stat.of(cpuNanos), samples));
        }
        return results;
    }

    /** Formats the registry as a scrape would; returns the bytes written. */
    private static int format(PrometheusMeterRegistry registry) throws IOException {
        CountingSink sink = new CountingSink();
        registry.scrape(sink);
        return (int) sink.count;
    }

    private static int get(HttpClient http, int port) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics answered " + response.statusCode());
        }
        return response.body().length;
    }

    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /**
     * What the collector does per poll, minus Kafka: read, map every domain and the host, encode every sample.
     * Keeps each VM's previous sample, like the collector.
     */
    private static final class FullPoll {
        private final LibvirtReader reader;
        private final VmSampleMapper vmMapper;
        private final HostSampleMapper hostMapper = new HostSampleMapper("bench", "node-1", 0, Duration.ofSeconds(10), "bench");
        private final AvroSerde<VmMemorySample> vmSerde = AvroSerde.of(VmMemorySample.class);
        private final AvroSerde<HostMemorySample> hostSerde = AvroSerde.of(HostMemorySample.class);
        private final Map<String, VmMemorySample> previous = new HashMap<>();
        long bytes;

        FullPoll(LibvirtReader reader, boolean guestClockTrusted) {
            this.reader = reader;
            this.vmMapper = new VmSampleMapper("bench", "node-1", guestClockTrusted);
        }

        int run() throws Exception {
            LibvirtReader.Poll poll = reader.read(false);
            Instant now = Instant.now();
            int samples = 0;
            for (DomainSnapshot domain : poll.domains()) {
                VmMemorySample sample = vmMapper.map(domain, now, previous.get(domain.uuid()));
                previous.put(domain.uuid(), sample);
                bytes += vmSerde.encode(sample).length;
                samples++;
            }
            bytes += hostSerde.encode(hostMapper.map(poll.host(), now)).length;
            return samples + 1;
        }
    }

    /** The per-domain libvirt calls of a poll and nothing else: list, then info and all 13 memory stats each. */
    private static int barePerDomain(Connect connect) throws org.libvirt.LibvirtException {
        Domain[] domains = connect.listAllDomains(1);
        for (Domain d : domains) {
            d.getInfo();
            d.memoryStats(MemoryStatTag.COUNT);
            d.getUUIDString();
            d.getName();
            d.free();
        }
        return domains.length;
    }

    /** The bulk call of a poll and nothing else: every running domain's state and balloon groups, then free. */
    private static int bareBulk(Connect connect) {
        PointerByReference ret = new PointerByReference();
        int n = LibvirtNative.INSTANCE.virConnectGetAllDomainStats(connectPointer(connect),
                LibvirtNative.STATS_STATE | LibvirtNative.STATS_BALLOON, ret, LibvirtNative.GET_ALL_DOMAINS_STATS_ACTIVE);
        if (n < 0) {
            throw new IllegalStateException("virConnectGetAllDomainStats failed");
        }
        LibvirtNative.INSTANCE.virDomainStatsRecordListFree(ret.getValue());
        return n;
    }

    private static Pointer connectPointer(Connect connect) {
        try {
            Field field = Connect.class.getDeclaredField("vcp");
            field.setAccessible(true);
            return ((com.sun.jna.PointerType) field.get(connect)).getPointer();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long cpuNanos(long sessionThread) {
        return THREADS.getCurrentThreadCpuTime() + Math.max(0, THREADS.getThreadCpuTime(sessionThread));
    }

    private static long threadIdOf(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .map(Thread::getId).orElseThrow(() -> new IllegalStateException("no thread named " + name));
    }

    private static void print(List<Result> results) {
        System.out.printf(Locale.ROOT, "%n%-8s %-38s %-28s %-28s %8s%n", "domains", "case", "wall ms: median (min–max)",
                "CPU ms: median (min–max)", "µs/dom");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-8d %-38s %-28s %-28s %8.1f%n", r.domains(), r.name(), r.wall().format(),
                    r.cpu().format(), r.wall().median() * 1000 / Math.max(1, r.domains()));
        }
        System.out.printf(Locale.ROOT, "%nratios of medians (wall / CPU):%n");
        Map<Integer, Map<String, Result>> bySize = new LinkedHashMap<>();
        results.forEach(r -> bySize.computeIfAbsent(r.domains(), k -> new LinkedHashMap<>()).put(r.name(), r));
        bySize.forEach((n, byName) -> System.out.printf(Locale.ROOT,
                "%-8d bulk/per-domain bare %s   full bulk/full per-domain %s   full/bare per-domain %s   full/bare bulk %s   uncached/cached XML %s%n",
                n, ratio(byName, "bare bulk call", "bare per-domain calls"),
                ratio(byName, "full poll, bulk", "full poll, per-domain"),
                ratio(byName, "full poll, per-domain", "bare per-domain calls"),
                ratio(byName, "full poll, bulk", "bare bulk call"),
                ratio(byName, "full poll, per-domain, XML uncached", "full poll, per-domain")));
        System.out.printf(Locale.ROOT, "%nscrapes (target: GET /metrics with the per-VM series under 50 ms at 1,000 VMs):%n");
        bySize.forEach((n, byName) -> {
            Result get = byName.get("GET /metrics, per-VM series");
            System.out.printf(Locale.ROOT, "%-8d GET per-VM %.2f ms (%d bytes)   per-VM/own GET %s   per-VM/own format %s   %s%n",
                    n, get.wall().median(), get.samples(), ratio(byName, "GET /metrics, per-VM series",
                            "GET /metrics, own metrics"),
                    ratio(byName, "scrape, per-VM series (format)", "scrape, own metrics (format)"),
                    n < 1000 ? "" : get.wall().median() < 50 ? "target met" : "TARGET NOT MET");
        });
    }

    private static String ratio(Map<String, Result> byName, String a, String b) {
        Result x = byName.get(a);
        Result y = byName.get(b);
        return String.format(Locale.ROOT, "%.2f / %.2f", x.wall().median() / y.wall().median(),
                x.cpu().median() / Math.max(1e-9, y.cpu().median()));
    }

    private static long procStatusKiB(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: PollBenchmark [--sizes 10,100,1000] [--polls N] [--uri URI] [--dir DIR]");
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }
}
