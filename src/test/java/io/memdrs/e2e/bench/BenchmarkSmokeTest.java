package io.memdrs.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline and latency harnesses run end to end at tiny sizes (a build check; the figures are in BENCHMARKS.md). */
@Tag("integration")
class BenchmarkSmokeTest {
    @TempDir
    Path work;

    @Test
    void shouldRunThePipelineBenchmarkAtSmokeSize() throws Exception {
        String table = PipelineBenchmark.run(1, 0.01, work.resolve("pipeline"));
        System.out.print(table);
        assertTrue(table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| VMs")).count() == 3, table);
        assertTrue(table.lines().filter(l -> l.matches("pipeline-result vms=\\d+ threads=1 stream=\\d+ "
                + "decode-aggregate=\\d+ no-work=\\d+")).count() == 3, "one summary line per size: " + table);
    }

    @Test
    void shouldRunTheLatencyBenchmarkAtSmokeSize() throws Exception {
        String table = LatencyBenchmark.run(3, work.resolve("latency"));
        System.out.print(table);
        assertTrue(table.contains("sample -> recommendation"), table);
    }
}
