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

    /** Starts one writer process for a round of {@link #killAtRandomMoments}. */
    @FunctionalInterface
    private interface Starter {
        Processes.Writer start(int round) throws Exception;
    }

    /**
     * {@code rounds} times: starts a writer, kills it with SIGKILL after a random number (below
     * {@code maxAcknowledged}) of acknowledged rows, and checks that every row it acknowledged is
     * present and the file passes integrity_check. Returns the rows acknowledged in all.
     */
    private int killAtRandomMoments(Path db, int rounds, int maxAcknowledged, Starter starter) throws Exception {
        int acknowledgedInAll = 0;
        for (int round = 1; round <= rounds; round++) {
            Processes.Writer w = starter.start(round);
            int killAfter = ThreadLocalRandom.current().nextInt(1, maxAcknowledged);
            Await.until("round " + round + ": " + killAfter + " rows acknowledged",
                    () -> w.acknowledged.size() >= killAfter || !w.process.isAlive());
            w.process.destroyForcibly(); // SIGKILL, in the middle of whatever it was writing
            w.await(30_000);
            assertTrue(w.errors.isEmpty(), () -> "errors before the kill: " + w.errors);
            acknowledgedInAll += w.acknowledged.size();
            Set<String> present = rows(db); // also runs integrity_check
            for (String ack : w.acknowledged) {
                assertTrue(present.contains(ack), "round " + round + ": acknowledged row " + ack + " is missing");
            }
        }
        return acknowledgedInAll;
    }

    @Test
    void aWriterKilledAtRandomMomentsNeverLosesAnAcknowledgedRow() throws Exception {
        Path db = dir.resolve("killed.db");
        createSchema(db);
        int acknowledged = killAtRandomMoments(db, 20, 60, round -> Processes.start(db, 2, 0, round));
        assertTrue(acknowledged >= 20, "rows acknowledged over all rounds: " + acknowledged);
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
        int acknowledged = killAtRandomMoments(db, 8, 400,
                round -> Processes.start(db, 8, 0, round, "synchronous=" + synchronous));
        assertTrue(acknowledged >= 8, "rows acknowledged over all rounds: " + acknowledged);
    }

    /** executeAsync futures complete only after their COMMIT: killed at random moments, nothing completed is missing. */
    @Test
    void anAsynchronousWriterKilledAtRandomMomentsNeverLosesACompletedInsert() throws Exception {
        Path db = dir.resolve("async.db");
        createSchema(db);
        int acknowledged = killAtRandomMoments(db, 6, 400, round -> Processes.startAsync(db, round, "synchronous=FULL"));
        assertTrue(acknowledged >= 6, "inserts completed over all rounds: " + acknowledged);
    }

    /**
     * Batched units of work (two rows each, every seventh thrown away) share COMMITs; killed at
     * random moments, with NORMAL and with FULL: every acknowledged unit is there, no unit is there
     * in part, and no thrown-away unit is there at all.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"NORMAL", "FULL"})
    void batchedUnitsKilledAtRandomMomentsAreWholeOrAbsent(String synchronous) throws Exception {
        Path db = dir.resolve("units-" + synchronous + ".db");
        createSchema(db);
        int acknowledged = killAtRandomMoments(db, 8, 400,
                round -> Processes.startUnits(db, round, "synchronous=" + synchronous));
        assertTrue(acknowledged >= 16, "rows acknowledged over all rounds: " + acknowledged);
        Set<String> present = rows(db);
        for (String row : present) {
            String[] f = row.split(" ");
            long seq = Long.parseLong(f[2]);
            String partner = f[0] + " " + f[1] + " " + -seq;
            assertTrue(present.contains(partner), "unit " + row + " is there in part: " + partner + " is missing");
            assertTrue(seq % 7 != 0, "a unit that threw is there: " + row);
        }
    }
}
