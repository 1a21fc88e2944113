package io.memdrs.collector.cli;

import io.memdrs.avro.VmMemorySample;
import io.memdrs.collector.doctor.DoctorReport;
import io.memdrs.collector.libvirt.LibvirtReader;
import io.memdrs.collector.libvirt.LibvirtSession;
import io.memdrs.collector.libvirt.LibvirtUnavailableException;
import io.memdrs.collector.model.DomainSnapshot;
import io.memdrs.collector.model.VmSampleMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memdrs collector doctor}: every VM, its stats health, why, and what to do. */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "One-shot: list every VM on a libvirt connection with its balloon, stats period, last_update "
                + "age, usage and its source, health and what to do. Exit 3 if a running VM's stats are not usable.")
final class DoctorCommand implements Callable<Integer> {
    enum Format { table, json }

    @Option(names = "--uri", defaultValue = "qemu:///system", description = "libvirt URI (default: ${DEFAULT-VALUE}); "
            + "opened read-only")
    String uri;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--timeout", defaultValue = "10", description = "deadline of each libvirt call, seconds")
    int timeoutSeconds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws LibvirtUnavailableException {
        java.util.Optional<String> noLibvirt = io.memdrs.collector.libvirt.LibvirtLibrary.missing();
        if (noLibvirt.isPresent()) {
            System.err.println("memdrs collector: " + noLibvirt.get());
            return ExitCodes.USAGE;
        }
        try (LibvirtSession session = LibvirtSession.open(uri, true, Duration.ofSeconds(timeoutSeconds))) {
            LibvirtReader.Poll poll = new LibvirtReader(session).read(true);
            Instant now = Instant.now();
            VmSampleMapper mapper = new VmSampleMapper("-", poll.host().hostname(), session.guestClockTrusted());
            List<VmMemorySample> vms = new ArrayList<>();
            for (DomainSnapshot domain : poll.domains()) {
                vms.add(mapper.map(domain, now, null));
            }
            DoctorReport report = new DoctorReport(uri, session.driverType(), session.guestClockTrusted(), now, vms);
            spec.commandLine().getOut().print(format == Format.json ? report.json() : report.table());
            spec.commandLine().getOut().flush();
            return report.unusableVms().isEmpty() ? ExitCodes.OK : ExitCodes.UNUSABLE_STATS;
        }
    }
}
