package io.memdrs.collector.cli;

import io.memdrs.config.StartupErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code memdrs collector}: the per-node daemon and its one-shot tools. */
@Command(name = "collector", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Polls libvirt balloon memory statistics of every VM on this node, says why they are missing "
                + "or frozen, and publishes Avro samples to Kafka.",
        subcommands = {RunCommand.class, DoctorCommand.class, EnableStatsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:runtime failure", "2:bad usage or configuration (the message names the key)",
                "3:doctor found running VMs whose statistics are not usable"})
public final class CollectorCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a sub-command: run, doctor or enable-stats");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with memdrs' exit-code conventions: 2 for a bad configuration, 1 for other failures. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CollectorCommand());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            java.util.Optional<String> problem = StartupErrors.configurationProblem(e);
            if (problem.isPresent()) {
                line.getErr().println("memdrs collector: configuration error: " + problem.get());
                return ExitCodes.USAGE;
            }
            line.getErr().println("memdrs collector: " + e.getMessage());
            return ExitCodes.FAILURE;
        });
        return cli;
    }
}
