package io.memdrs.executor.cli;

import io.memdrs.collector.cli.VersionProvider;
import io.memdrs.config.StartupErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code memdrs executor}: the reference migration service. */
@Command(name = "executor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Acts on the DRS's recommendations: checks each, live-migrates with libvirt (dry run by "
                + "default) and publishes what each move became and cost to memdrs.migration-events.",
        subcommands = {ExecutorRunCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:runtime failure", "2:bad usage or configuration (the message names the key)"})
public final class ExecutorCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a sub-command: run");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with memdrs' exit-code conventions: 2 for a bad configuration, 1 for other failures. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ExecutorCommand());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            java.util.Optional<String> problem = StartupErrors.configurationProblem(e);
            if (problem.isPresent()) {
                line.getErr().println("memdrs executor: configuration error: " + problem.get());
                return 2;
            }
            line.getErr().println("memdrs executor: " + e.getMessage());
            return 1;
        });
        return cli;
    }
}
