package io.memdrs.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memdrs.collector.cli.CollectorCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Runs {@code memdrs collector ...} in this JVM, the way the launcher runs it, and captures what it prints. */
final class CollectorCli {
    /** Exit code and output of one command. */
    record Result(String command, int exitCode, String out, String err) {
        /** The standard output parsed as JSON ({@code --format json}). */
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException("`" + command + "` did not print JSON: " + out + err, e);
            }
        }

        /** The row of VM {@code name} in {@code doctor --format json} output. */
        JsonNode vm(String name) {
            for (JsonNode vm : json().path("vms")) {
                if (name.equals(vm.path("name").asText())) {
                    return vm;
                }
            }
            throw new AssertionError("`" + command + "` reported no VM named " + name + ":\n" + out + err);
        }

        @Override
        public String toString() {
            return "`" + command + "` exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CollectorCli() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CollectorCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result("memdrs collector " + String.join(" ", args), exit, out.toString(), err.toString());
    }
}
