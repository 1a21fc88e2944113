package io.memdrs.stream.cli;

import io.memdrs.config.StartupErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code memdrs stream}: the Kafka Streams app and its offline planner. */
@Command(name = "stream", mixinStandardHelpOptions = true, versionProvider = StreamVersion.class,
        description = "Aggregates per-host memory load per cluster and emits rated, explained live-migration "
                + "recommendations.",
        subcommands = {RunCommand.class, io.memdrs.stream.whatif.WhatIfCommand.class, TopicsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:runtime failure", "2:bad usage, configuration or snapshot (the message names it)"})
public final class StreamCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a sub-command: run, topics or what-if");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with memdrs' exit-code conventions: 2 for a bad configuration, 1 for other failures. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new StreamCommand());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            java.util.Optional<String> problem = StartupErrors.configurationProblem(e);
            if (problem.isPresent()) {
                line.getErr().println("memdrs stream: configuration error: " + problem.get());
                return 2;
            }
            line.getErr().println("memdrs stream: " + e.getMessage());
            return 1;
        });
        return cli;
    }
}
