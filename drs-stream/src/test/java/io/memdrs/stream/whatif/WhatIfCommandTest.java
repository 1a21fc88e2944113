package io.memdrs.stream.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command on the example snapshot of deploy/examples, whose plan deploy/examples/README.md derives by hand. */
class WhatIfCommandTest {
    private static final Path EXAMPLE = Path.of("../deploy/examples/snapshot.json");
    private static final String NOW = "2025-01-15T12:00:00Z";

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new WhatIfCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldPrintThePlanDerivedByHandAsJson() throws IOException {
        Run r = run("--snapshot", EXAMPLE.toString(), "--format", "json", "--now", NOW, "--round", "7");
        assertEquals(0, r.exit(), r.err());
        JsonNode plan = new ObjectMapper().readTree(r.out());
        assertEquals("example", plan.get("cluster").asText());
        assertEquals("MOVES_RECOMMENDED", plan.get("outcome").asText());
        assertEquals(0.233286, plan.get("imbalanceBefore").asDouble(), 1e-9);
        assertEquals(0.066500, plan.get("imbalanceAfter").asDouble(), 1e-6);
        assertEquals(0.1, plan.get("targetImbalance").asDouble(), 1e-12);
        JsonNode first = plan.get("recommendations").get(0);
        assertEquals("example:7:1", first.get("id").asText());
        assertEquals("batch-1", first.get("vmName").asText());
        assertEquals("h4", first.get("source").asText());
        assertEquals("h3", first.get("target").asText());
        assertEquals(1, first.get("priority").asInt());
        assertEquals("MAINTENANCE_EVACUATION", first.get("reason").asText());
        assertEquals(0.196016, first.get("imbalanceAfter").asDouble(), 1e-6);
        JsonNode second = plan.get("recommendations").get(1);
        assertEquals("web-1", second.get("vmName").asText());
        assertEquals("BALANCE", second.get("reason").asText());
        assertEquals(0.67, second.get("sourceLoadBefore").asDouble(), 1e-12);
        assertEquals(0.37, second.get("sourceLoadAfter").asDouble(), 1e-12);
        assertEquals(0.20, second.get("targetLoadBefore").asDouble(), 1e-12);
        assertEquals(0.50, second.get("targetLoadAfter").asDouble(), 1e-12);
        assertEquals(31457280, second.get("demandKiB").asLong());
        assertEquals("2025-01-15T12:05:00Z", second.get("expiresAt").asText());
        JsonNode alt = second.get("rejectedAlternatives").get(0);
        assertEquals("db-1", alt.get("vmName").asText());
        assertEquals("breaks must anti-affinity rule db-spread (db-2 runs on h3)", alt.get("reason").asText());
        assertEquals(2, plan.get("recommendations").size());
        assertEquals(0.5, plan.get("hosts").get(2).get("loadAfter").asDouble(), 1e-12);
    }

    @Test
    void shouldPrintATableForHumans() {
        Run r = run("--snapshot", EXAMPLE.toString(), "--now", NOW);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("MOVES_RECOMMENDED: 2 moves recommended (1 mandatory): imbalance 0.233 → 0.066"),
                r.out());
        assertTrue(r.out().contains("not db-1 → h3: breaks must anti-affinity rule db-spread (db-2 runs on h3)"),
                r.out());
    }

    @Test
    void shouldApplyThePolicyFile() {
        Run r = run("--snapshot", EXAMPLE.toString(), "--policy", "../deploy/examples/policy.properties", "--now", NOW,
                "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"policyVersion\" : \"example-aggressive-1\""), r.out());
        assertTrue(r.out().contains("\"wave\" : 2"), "inflow cap 1 cuts the plan into waves: " + r.out());
    }

    @Test
    void shouldListTheWholeEvacuationInWavesAndNameTheVmThatCannotLeave() throws Exception {
        Run r = run("--snapshot", "../deploy/examples/maintenance-snapshot.json", "--now", NOW, "--format", "json");
        assertEquals(0, r.exit(), r.err());
        com.fasterxml.jackson.databind.JsonNode plan = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(3, plan.get("waves").size(), "9 VMs at an outflow cap of 4: " + r.out());
        int moves = 0;
        for (com.fasterxml.jackson.databind.JsonNode wave : plan.get("waves")) {
            assertTrue(wave.get("recommendations").size() <= 4, wave.toString());
            moves += wave.get("recommendations").size();
        }
        assertEquals(9, moves);
        assertEquals(plan.get("recommendations"), plan.get("waves").get(0).get("recommendations"));
        String notes = plan.get("notes").toString();
        assertTrue(notes.contains("evacuation of h4 (maintenance): 9 VMs in 3 waves, 72.0 GiB to copy; 1 VMs cannot"
                + " leave"), notes);
        assertTrue(notes.contains("vm analytics stays on h4") && notes.contains("39.6 GiB more on one host would take"
                + " the largest"), notes);
    }

    @Test
    void shouldRefuseAnInvalidSnapshotWithExitTwoPointingAtTheEntry() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(EXAMPLE).replace("\"name\": \"web-2\", \"host\": \"h1\"",
                "\"name\": \"web-2\", \"host\": \"h9\""));
        Run r = run("--snapshot", bad.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("vms[1] (uuid \"0b1e2c3d-0000-4000-8000-000000000002\"): host \"h9\" is not in hosts"),
                r.err());
    }

    @Test
    void shouldRefuseAnInvalidPolicyWithExitTwoNamingTheKey() throws IOException {
        Path policy = dir.resolve("policy.properties");
        Files.writeString(policy, "drs.high-watermark=2\n");
        Run r = run("--snapshot", EXAMPLE.toString(), "--policy", policy.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("drs.high-watermark: 2 is out of range"), r.err());
    }

    @Test
    void shouldExitTwoOnBadUsage() {
        assertEquals(2, run().exit(), "--snapshot is required");
        assertEquals(2, run("--snapshot", EXAMPLE.toString(), "--format", "xml").exit());
        assertEquals(2, run("--snapshot", EXAMPLE.toString(), "--now", "noon").exit());
        Run missing = run("--snapshot", dir.resolve("nope.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("snapshot file not found"), missing.err());
    }
}
