package io.memdrs.stream.whatif;

import io.memdrs.engine.DrsEngine;
import io.memdrs.engine.Plan;
import io.memdrs.engine.Policy;
import io.memdrs.engine.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code memdrs stream what-if --snapshot FILE [--policy FILE] [--format json|table]}: plans one decision round for a
 * snapshot file, without Kafka. Exit codes: 0 plan printed; 2 the snapshot, the policy or the command line is not
 * valid (the message, on stderr, points at the entry or names the key); 1 any other failure.
 */
@Command(name = "what-if", mixinStandardHelpOptions = true, versionProvider = io.memdrs.stream.cli.StreamVersion.class,
        description = {"Plans one decision round for a cluster snapshot (the DESIGN §4 what-if JSON, as served by "
                + "GET /clusters/{id}/snapshot) and prints the recommended moves with their explanations. No Kafka."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:plan printed", "1:runtime failure",
                "2:invalid snapshot, policy or usage (the message points at the entry or key)"})
public final class WhatIfCommand implements Callable<Integer> {
    /** Exit code for a bad snapshot, policy or command line. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--snapshot", required = true, paramLabel = "FILE", description = "snapshot JSON file")
    Path snapshot;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "policy properties file (drs.* keys, e.g. the stream app's config); default: built-in")
    Path policy;

    @Option(names = "--format", paramLabel = "json|table", defaultValue = "table",
            description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "plan as of this ISO-8601 instant, e.g. 2025-01-15T12:00:00Z (default: now); cooldowns and "
                    + "expiry are measured from it")
    String now;

    @Option(names = "--round", paramLabel = "N", defaultValue = "0",
            description = "round number used in recommendation ids <cluster>:<round>:<sequence> (default: 0)")
    long round;

    private final Clock clock;

    /** A command planning as of the system clock (unless {@code --now} is given). */
    public WhatIfCommand() {
        this(Clock.systemUTC());
    }

    /** A command planning as of the given clock (unless {@code --now} is given). */
    public WhatIfCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("json") && !format.equals("table")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format must be json or table, not '" + format + "'");
        }
        Instant at;
        try {
            at = now == null ? clock.instant() : Instant.parse(now);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--now must be an ISO-8601 instant such as 2025-01-15T12:00:00Z, not '" + now + "'");
        }
        Snapshot s;
        Policy p;
        try {
            s = SnapshotJson.read(snapshot);
        } catch (SnapshotValidationException e) {
            err.println("memdrs what-if: invalid snapshot " + snapshot + ":");
            e.problems().forEach(problem -> err.println("  " + problem));
            return USAGE;
        } catch (NoSuchFileException e) {
            err.println("memdrs what-if: snapshot file not found: " + snapshot);
            return USAGE;
        } catch (IOException e) {
            err.println("memdrs what-if: cannot read snapshot " + snapshot + ": " + e);
            return USAGE;
        }
        try {
            p = policy == null ? Policy.defaults() : PolicyFile.read(policy);
        } catch (PolicyValidationException e) {
            err.println("memdrs what-if: invalid policy " + policy + ": " + e.getMessage());
            return USAGE;
        } catch (NoSuchFileException e) {
            err.println("memdrs what-if: policy file not found: " + policy);
            return USAGE;
        } catch (IOException | IllegalArgumentException e) {
            err.println("memdrs what-if: cannot read policy " + policy + ": " + e.getMessage());
            return USAGE;
        }
        Plan plan = DrsEngine.plan(s, p, at);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? PlanJson.render(plan, round) : PlanTable.render(plan, round));
        out.flush();
        return 0;
    }
}
