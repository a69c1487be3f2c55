package io.github.safesqlite.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runner itself: workload definitions, the integrity verifier, the report, and short real runs. */
class RunnerTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"transfer", "write-heavy", "read-heavy", "read-mostly-tx", "point-select", "batch", "long-reader",
            "multi-process"})
    void everyWorkloadSetsUpRunsAndVerifies(String name) throws Exception {
        Workload workload = Workload.named(name);
        try (Setup setup = Setup.named("safe", dir.resolve(name + ".db"), null)) {
            try (Connection c = setup.connect()) {
                workload.setUp(c);
            }
            long acknowledged = 0;
            Random random = new Random(1);
            for (int i = 1; i <= 40; i++) {
                try (Connection c = setup.connect()) {
                    acknowledged += workload.runOnce(c, random, 1, i);
                }
            }
            try (Connection c = setup.connect()) {
                assertEquals("ok", StressRunner.verify(workload, c, acknowledged));
                workload.setUp(c); // a second run on the same database starts afresh
                assertEquals("ok", StressRunner.verify(workload, c, 0));
            }
        }
        assertEquals(name.equals("long-reader"), workload.isLongReader(0));
    }

    @Test
    void theVerifierCatchesALostWrite() throws Exception {
        Workload workload = Workload.named("write-heavy");
        try (Setup setup = Setup.named("plain", dir.resolve("lost.db"), null); Connection c = setup.connect()) {
            workload.setUp(c);
            for (int i = 1; i <= 10; i++) {
                workload.runOnce(c, new Random(i), 1, i);
            }
            Workload.exec(c, "DELETE FROM event WHERE seq = 7"); // the planted loss
            String verdict = StressRunner.verify(workload, c, 10);
            assertTrue(verdict.contains("acknowledged 10 inserts but found 9") && verdict.contains("lost"), verdict);
        }
    }

    @Test
    void theVerifierCatchesABrokenInvariant() throws Exception {
        Workload workload = Workload.named("transfer");
        try (Setup setup = Setup.named("plain", dir.resolve("broken.db"), null); Connection c = setup.connect()) {
            workload.setUp(c);
            long acknowledged = 0;
            for (int i = 1; i <= 10; i++) {
                acknowledged += workload.runOnce(c, new Random(i), 1, i);
            }
            assertEquals("ok", StressRunner.verify(workload, c, acknowledged));
            Workload.exec(c, "UPDATE account SET balance = balance + 1 WHERE id = 1"); // money from nowhere
            String verdict = StressRunner.verify(workload, c, acknowledged);
            assertTrue(verdict.startsWith("money not conserved"), verdict);
        }
    }

    @Test
    void theReportHasTheTableTheChartsAndTheRawFigures() throws Exception {
        List<RunResult> results = List.of(
                new RunResult("transfer", "plain", 1, 1, 2.0, new long[] {1_000_000, 2_000_000, 3_000_000}, Map.of(), -1, 1234, "ok"),
                new RunResult("transfer", "safe", 8, 1, 2.0, new long[] {500_000, 600_000, 9_000_000, 7_000_000}, Map.of(), 3, 4_321_000, "ok"),
                new RunResult("transfer", "plain", 8, 1, 2.0, new long[] {100_000}, Map.of("SQLITE_BUSY", 42L), -1, 99,
                        "money not conserved: total 1, expected 2"));
        Report report = new Report(results);
        report.writeFiles(dir);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg") && html.contains("safe x8"), html);
        assertTrue(html.contains("class=\"bad\">money not conserved"), "a failed verdict stands out");
        assertTrue(html.contains("1.33x"), "ratios against the workload's first row (4 ops over 3): " + html);
        assertTrue(html.contains("<th>WAL MB</th>") && html.contains("<td>4.3</td>"), "the WAL size, as the console has it");
        assertTrue(html.contains("{SQLITE_BUSY=42}"), "the error kinds per set-up, as the console has them");
        String csv = Files.readString(dir.resolve("results.csv"));
        assertEquals(4, csv.lines().count());
        assertTrue(csv.contains("transfer,safe,8,1,2.000,4,2.0,"), csv);
        String json = Files.readString(dir.resolve("results.json"));
        assertTrue(json.contains("\"errors\": {\"SQLITE_BUSY\": 42}") && json.contains("\"retries\": 3"), json);
        String table = report.table();
        assertTrue(table.contains("errors of transfer / plain x8: {SQLITE_BUSY=42}"), table);
    }

    @Test
    void aShortRealRunOfEverySetupEndsOkAndWritesTheReport() throws Exception {
        Options options = Options.parse(new String[] {"--workload", "transfer", "--workload", "multi-process",
                "--threads", "2", "--processes", "2", "--duration", "1", "--warmup", "1", "--setups", "plain,hikari,safe",
                "--url", "jdbc:safesqlite:" + dir.resolve("by-url.db"), "--out", dir.resolve("out").toString()});
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<RunResult> results = new StressRunner(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        String out = console.toString(StandardCharsets.UTF_8);
        assertEquals(9, results.size(), out); // per workload: reference + 3 set-ups (+ the URL for transfer)
        for (RunResult r : results) {
            assertTrue(r.ok(), r.label() + ": " + r.integrity + "\n" + out);
            // Plain sqlite-jdbc (the reference) across two processes completed nothing in its 1 s window once
            // in CI, at load average 7.6, where one process managed 244 operations/s: it is not what this
            // checks. safesqlite's set-ups must complete work.
            if (r.setup.equals("safe") || r.setup.equals("url")) {
                assertTrue(r.operations > 0, r.label() + " did nothing\n" + out);
            }
        }
        assertTrue(results.stream().filter(r -> r.setup.equals("safe") || r.setup.equals("url"))
                .allMatch(r -> r.errorCount() == 0), "no errors through safesqlite\n" + out);
        assertTrue(Files.exists(dir.resolve("out/report.html")) && Files.exists(dir.resolve("out/results.csv")));
        assertTrue(out.contains("workload") && out.contains("safe x2 x2p"), out);
    }

    @Test
    void thePhasesWorkloadRunsEachStageWithAndWithoutPhasesAndVerifiesTheLoad() throws Exception {
        Options options = Options.parse(new String[] {"--workload", "phases", "--threads", "2", "--duration", "0.5",
                "--out", dir.resolve("phases-out").toString()});
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<RunResult> results = new StressRunner(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        String out = console.toString(StandardCharsets.UTF_8);
        assertEquals(List.of("phases:load safe", "phases:load safe-phases", "phases:analysis safe",
                        "phases:analysis safe-phases", "phases:report safe", "phases:report safe-phases"),
                results.stream().map(r -> r.workload + " " + r.setup).toList(), out);
        for (RunResult r : results) {
            assertTrue(r.ok() && r.errorCount() == 0 && r.operations > 0, r.label() + ": " + r.integrity + "\n" + out);
        }
    }

    @Test
    void theTenantsWorkloadRunsEverySetupOverManyDatabasesAndVerifiesEachOne() throws Exception {
        Options options = Options.parse(new String[] {"--workload", "tenants", "--tenants", "40", "--threads", "2",
                "--duration", "1", "--warmup", "0.2", "--out", dir.resolve("tenants-out").toString()});
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<RunResult> results = new StressRunner(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        String out = console.toString(StandardCharsets.UTF_8);
        assertEquals(3, results.size(), out); // plain x1 (the reference), plain x2, safe x2
        for (RunResult r : results) {
            assertTrue(r.ok(), r.label() + ": " + r.integrity + "\n" + out);
            // Plain sqlite-jdbc (the reference) across two processes completed nothing in its 1 s window once
            // in CI, at load average 7.6, where one process managed 244 operations/s: it is not what this
            // checks. safesqlite's set-ups must complete work.
            if (r.setup.equals("safe") || r.setup.equals("url")) {
                assertTrue(r.operations > 0, r.label() + " did nothing\n" + out);
            }
        }
        String csv = Files.readString(dir.resolve("tenants-out/tenants.csv"));
        assertTrue(csv.contains("safe,2,40,"), csv);
        assertTrue(out.contains("open files at the peak"), out);
    }
}
