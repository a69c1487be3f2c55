package io.github.safesqlite.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import io.github.safesqlite.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers in several JVMs on one file, and writers killed with SIGKILL: no error reaches the
 * application, and every write a process acknowledged is in the file afterwards.
 */
class MultiProcessTest {

    @TempDir
    Path dir;

    static void createSchema(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("CREATE TABLE IF NOT EXISTS event(process INTEGER, thread INTEGER, seq INTEGER, "
                    + "PRIMARY KEY (process, thread, seq))");
        }
    }

    static Set<String> rows(Path db) throws SQLException {
        Set<String> rows = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1), "integrity_check");
            }
            try (ResultSet rs = st.executeQuery("SELECT process, thread, seq FROM event")) {
                while (rs.next()) {
                    rows.add(rs.getInt(1) + " " + rs.getInt(2) + " " + rs.getLong(3));
                }
            }
        }
        return rows;
    }

    @Test
    void threeProcessesOfThreeWritersEachLoseNothingAndSeeNoError() throws Exception {
        Path db = dir.resolve("multi.db");
        createSchema(db);
        List<Processes.Writer> writers = List.of(
                Processes.start(db, 3, 2_500, 1), Processes.start(db, 3, 2_500, 2), Processes.start(db, 3, 2_500, 3));
        Set<String> acknowledged = new HashSet<>();
        for (Processes.Writer w : writers) {
            assertEquals(0, w.await(60_000), "exit code; errors: " + w.errors);
            assertTrue(w.errors.isEmpty(), () -> "errors surfaced: " + w.errors);
            assertTrue(w.done != null && w.done.split(" ")[1].equals("0"), "reported errors: " + w.done);
            acknowledged.addAll(w.acknowledged);
        }
        Set<String> present = rows(db);
        assertTrue(acknowledged.size() > 100, "writes acknowledged: " + acknowledged.size());
        assertTrue(present.containsAll(acknowledged), "every acknowledged row is present");
        assertEquals(acknowledged.size(), present.size(), "and nothing else");
    }

    @Test
    void aWriterKilledAtRandomMomentsNeverLosesAnAcknowledgedRow() throws Exception {
        Path db = dir.resolve("killed.db");
        createSchema(db);
        Set<String> acknowledged = new HashSet<>();
        for (int round = 1; round <= 20; round++) {
            Processes.Writer w = Processes.start(db, 2, 0, round);
            // Killed at a random moment of its writing: after a random number of acknowledged rows.
            int killAfter = ThreadLocalRandom.current().nextInt(1, 60);
            Await.until("round " + round + ": " + killAfter + " rows acknowledged",
                    () -> w.acknowledged.size() >= killAfter || !w.process.isAlive());
            w.process.destroyForcibly(); // SIGKILL
            w.await(30_000);
            assertTrue(w.errors.isEmpty(), () -> "errors before the kill: " + w.errors);
            acknowledged.addAll(w.acknowledged);
            Set<String> present = rows(db); // also runs integrity_check
            for (String ack : w.acknowledged) {
                assertTrue(present.contains(ack), "round " + round + ": acknowledged row " + ack + " is missing");
            }
        }
        assertTrue(acknowledged.size() >= 20, "rows acknowledged over all rounds: " + acknowledged.size());
    }

    /**
     * Eight threads of autocommit inserts share COMMITs (group commit); the process is killed at a
     * random moment, many rounds, with NORMAL and with FULL: every row a caller was told about is
     * there, and the file is intact.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"NORMAL", "FULL"})
    void writersKilledDuringGroupCommitsNeverLoseAnAcknowledgedRow(String synchronous) throws Exception {
        Path db = dir.resolve("grouped-" + synchronous + ".db");
        createSchema(db);
        int acknowledgedInAll = 0;
        for (int round = 1; round <= 8; round++) {
            Processes.Writer w = Processes.start(db, 8, 0, round, "synchronous=" + synchronous);
            int killAfter = ThreadLocalRandom.current().nextInt(1, 400);
            Await.until("round " + round + ": " + killAfter + " rows acknowledged",
                    () -> w.acknowledged.size() >= killAfter || !w.process.isAlive());
            w.process.destroyForcibly(); // SIGKILL, in the middle of groups being committed
            w.await(30_000);
            assertTrue(w.errors.isEmpty(), () -> "errors before the kill: " + w.errors);
            acknowledgedInAll += w.acknowledged.size();
            Set<String> present = rows(db); // also runs integrity_check
            for (String ack : w.acknowledged) {
                assertTrue(present.contains(ack), "round " + round + ": acknowledged row " + ack + " is missing");
            }
        }
        assertTrue(acknowledgedInAll >= 8, "rows acknowledged over all rounds: " + acknowledgedInAll);
    }

    /** executeAsync futures complete only after their COMMIT: killed at random moments, nothing acknowledged is missing. */
    @Test
    void anAsynchronousWriterKilledAtRandomMomentsNeverLosesACompletedInsert() throws Exception {
        Path db = dir.resolve("async.db");
        createSchema(db);
        int acknowledgedInAll = 0;
        for (int round = 1; round <= 6; round++) {
            Processes.Writer w = Processes.startAsync(db, round, "synchronous=FULL");
            int killAfter = ThreadLocalRandom.current().nextInt(1, 400);
            Await.until("round " + round + ": " + killAfter + " inserts completed",
                    () -> w.acknowledged.size() >= killAfter || !w.process.isAlive());
            w.process.destroyForcibly(); // SIGKILL, with futures queued, running and committing
            w.await(30_000);
            assertTrue(w.errors.isEmpty(), () -> "errors before the kill: " + w.errors);
            acknowledgedInAll += w.acknowledged.size();
            Set<String> present = rows(db); // also runs integrity_check
            for (String ack : w.acknowledged) {
                assertTrue(present.contains(ack), "round " + round + ": completed insert " + ack + " is missing");
            }
        }
        assertTrue(acknowledgedInAll >= 6, "inserts completed over all rounds: " + acknowledgedInAll);
    }
}
