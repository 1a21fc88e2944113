package io.memdrs.collector.cli;

import io.memdrs.collector.libvirt.LibvirtReader;
import io.memdrs.collector.libvirt.LibvirtSession;
import io.memdrs.collector.libvirt.LibvirtUnavailableException;
import io.memdrs.collector.libvirt.StatsPeriodRemediator;
import io.memdrs.collector.model.DomainSnapshot;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memdrs collector enable-stats}: the opt-in fix for frozen balloon statistics. */
@Command(name = "enable-stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Set the live balloon statistics period (virDomainSetMemoryStatsPeriod) on running domains that "
                + "have a balloon but no period, and say what changed. The domain XML on disk is not changed.")
final class EnableStatsCommand implements Callable<Integer> {
    @Option(names = "--period", required = true, paramLabel = "N", description = "period to set, seconds (1-86400)")
    int period;

    @Option(names = "--dry-run", description = "only say what would change")
    boolean dryRun;

    @Option(names = "--uri", defaultValue = "qemu:///system", description = "libvirt URI (default: ${DEFAULT-VALUE})")
    String uri;

    @Option(names = "--domain", paramLabel = "NAME", arity = "1..*", description = "only these domains (default: all)")
    List<String> domains;

    @Option(names = "--timeout", defaultValue = "10", description = "deadline of each libvirt call, seconds")
    int timeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws LibvirtUnavailableException {
        java.util.Optional<String> noLibvirt = io.memdrs.collector.libvirt.LibvirtLibrary.missing();
        if (noLibvirt.isPresent()) {
            System.err.println("memdrs collector: " + noLibvirt.get());
            return ExitCodes.USAGE;
        }
        if (period < 1 || period > 86_400) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--period must be 1..86400 seconds, got " + period);
        }
        PrintWriter out = spec.commandLine().getOut();
        Set<String> wanted = domains == null ? Set.of() : Set.copyOf(domains);
        int changed = 0;
        try (LibvirtSession session = LibvirtSession.open(uri, dryRun, Duration.ofSeconds(timeoutSeconds))) {
            List<DomainSnapshot> all = new LibvirtReader(session).read(false).domains();
            for (String name : wanted) {
                if (all.stream().noneMatch(d -> d.name().equals(name))) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--domain " + name
                            + ": no running domain of that name on " + uri);
                }
            }
            StatsPeriodRemediator remediator = new StatsPeriodRemediator(session);
            for (DomainSnapshot domain : all) {
                if (!wanted.isEmpty() && !wanted.contains(domain.name())) {
                    continue;
                }
                if (!domain.balloon().present()) {
                    out.printf("%s: skipped, no balloon device (add <memballoon model='virtio'>; needs a restart)%n", domain.name());
                } else if (domain.balloon().statsPeriodSeconds() > 0) {
                    out.printf("%s: unchanged, stats period already %d s%n", domain.name(), domain.balloon().statsPeriodSeconds());
                } else if (dryRun) {
                    out.printf("%s: would set stats period 0 -> %d s (dry run)%n", domain.name(), period);
                    changed++;
                } else {
                    remediator.setLivePeriod(domain.uuid(), period);
                    out.printf("%s: stats period 0 -> %d s (live)%n", domain.name(), period);
                    changed++;
                }
            }
        }
        out.printf("%d domain(s) %s%n", changed, dryRun ? "would change" : "changed");
        out.flush();
        return ExitCodes.OK;
    }
}
