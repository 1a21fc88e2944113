package io.memdrs.e2e.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Runs one memdrs program in this JVM through its picocli command line, as the launcher does, capturing what it
 * prints. A program that does not exit within 30 s (it started instead of refusing) fails the test, not hangs it.
 */
final class Cli {
    /** Exit code and output of one command. */
    record Result(String command, int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "`" + command + "` exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {}

    static Result run(String program, Supplier<CommandLine> commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cli-under-test");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Integer> exit = runner.submit(() -> commandLine.get()
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute(args));
            return new Result(program + " " + String.join(" ", args), exit.get(30, TimeUnit.SECONDS),
                    out.toString(), err.toString());
        } catch (TimeoutException e) {
            throw new AssertionError("`" + program + " " + String.join(" ", args) + "` did not exit within 30 s: "
                    + "it started instead of refusing its input\n" + out + err);
        } catch (Exception e) {
            throw new AssertionError("`" + program + " " + String.join(" ", args) + "` threw " + e, e);
        } finally {
            runner.shutdownNow();
        }
    }
}
