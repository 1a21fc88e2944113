package io.memdrs.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code memdrs demo}: the whole pipeline on this machine, nothing to install. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = DemoCommand.Version.class,
        description = "Runs the whole pipeline on this machine: an embedded Kafka broker, libvirt test-driver hosts, "
                + "one collector per host and the stream app, and shows the host loads live.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--hosts", defaultValue = "5", description = "test-driver hosts (default: ${DEFAULT-VALUE})")
    int hosts;

    @Option(names = "--vms-per-host", defaultValue = "12", description = "VMs per host (default: ${DEFAULT-VALUE})")
    int vmsPerHost;

    @Option(names = "--seconds", defaultValue = "60", description = "how long to run (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--work-dir", defaultValue = "target/demo", description = "broker data, node files, state, log "
            + "(default: ${DEFAULT-VALUE}; emptied at start)")
    Path workDir;

    @Option(names = "--http-port", defaultValue = "8080", description = "port of the dashboard and HTTP API on "
            + "127.0.0.1; a free port is taken if it is in use, 0 turns it off (default: ${DEFAULT-VALUE})")
    int httpPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (hosts < 2 || hosts > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hosts must be 2..64, got " + hosts);
        }
        if (vmsPerHost < 1 || vmsPerHost > 200) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vms-per-host must be 1..200, got " + vmsPerHost);
        }
        if (seconds < 10) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be at least 10, got " + seconds);
        }
        java.util.Optional<String> noLibvirt = io.memdrs.collector.libvirt.LibvirtLibrary.missing();
        if (noLibvirt.isPresent()) {
            System.err.println("memdrs demo: " + noLibvirt.get());
            return 2;
        }
        WorkDir.reset(workDir);
        Demo.Summary s = new Demo(hosts, vmsPerHost, Duration.ofSeconds(seconds), workDir, System.out,
                Ports.availableOr(httpPort)).run();
        System.out.printf("%nsummary: %d hosts, %d VMs; %d decision rounds, %d migrations executed; samples sent %d, "
                + "lost %d; imbalance %.3f -> %.3f%n", s.hosts(), s.vms(), s.rounds(), s.moves(), s.samplesSent(),
                s.samplesLost(), s.imbalanceStart(), s.imbalanceEnd());
        System.out.printf("VMs per stats health: %s%n", s.health());
        System.out.printf("log: %s%n", workDir.resolve("memdrs-demo.log"));
        return s.hosts() == hosts && s.samplesLost() == 0 ? 0 : 1;
    }

    /** Prints the demo's version and source revision. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {io.memdrs.version.MemdrsVersion.line("demo")};
        }
    }

    public static void main(String[] args) {
        Path workDir = Path.of("target/demo");
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--work-dir")) {
                workDir = Path.of(args[i + 1]);
            }
        }
        System.setProperty("memdrs.demo.log", workDir.resolve("memdrs-demo.log").toString());
        System.setProperty("logback.configurationFile", "logback-demo.xml");
        System.exit(new CommandLine(new DemoCommand()).execute(args));
    }
}
