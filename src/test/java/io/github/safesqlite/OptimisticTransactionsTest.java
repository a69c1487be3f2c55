package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * {@code optimistic_transactions}: a transaction that is not read-only starts on a reader, so it
 * reads beside a writer, and moves to the writer at its first write only if nothing was committed
 * since it began reading; otherwise that write fails with SQLITE_BUSY_SNAPSHOT and the transaction
 * is rolled back. See the README, "Transactions that mostly read".
 */
class OptimisticTransactionsTest {

    @TempDir
    Path dir;

    private SafeSqliteDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = SafeSqliteDataSource.builder().path(dir.resolve("optimistic.db").toString()).optimisticTransactions(true)
                .gateTimeoutMillis(200).callTimeoutMillis(400).dataSource();
        try (Connection c = ds.getConnection()) {
            Databases.exec(c, "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
            Databases.exec(c, "INSERT INTO counter VALUES (1, 0), (2, 0), (3, 0)");
        }
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        ds.close();
    }

    /** As sqlite-jdbc reports it: the primary code as the error code, the extended one as the result code. */
    private static void assertBusySnapshot(SQLException e) {
        assertEquals(SQLiteErrorCode.SQLITE_BUSY.code, e.getErrorCode(), e.getMessage());
        assertEquals(SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT, ((SQLiteException) e).getResultCode(), e.getMessage());
    }

    @Test
    void aTransactionThatOnlyReadsNeverWaitsForTheWriter() throws Exception {
        try (Connection writer = ds.getConnection(); Connection reader = ds.getConnection()) {
            writer.setAutoCommit(false);
            Databases.exec(writer, "UPDATE counter SET n = 100 WHERE id = 1"); // holds the writer past gate_timeout
            reader.setAutoCommit(false); // not read-only, as ORMs leave it
            assertEquals(0, Databases.longValue(reader, "SELECT n FROM counter WHERE id = 1"),
                    "read on a reader's snapshot while the writer is held (without the setting: a gate time-out)");
            reader.commit();
            writer.commit();
            assertEquals(100, Databases.longValue(reader, "SELECT n FROM counter WHERE id = 1"), "a new snapshot");
            reader.commit();
        }
    }

    @Test
    void theFirstWriteMovesToTheWriterAndRowsStillOpenKeepReading() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            int updated = 0;
            try (Statement st = c.createStatement(); ResultSet rows = st.executeQuery("SELECT id FROM counter ORDER BY id");
                 PreparedStatement bump = c.prepareStatement("UPDATE counter SET n = n + 1 WHERE id = ?")) {
                while (rows.next()) { // read on the reader, write on the writer, in one transaction
                    bump.setInt(1, rows.getInt(1));
                    updated += bump.executeUpdate();
                }
            }
            assertEquals(3, updated);
            assertEquals(3, Databases.longValue(c, "SELECT sum(n) FROM counter"), "reads after the move see its writes");
            c.commit();
        }
        try (Connection c = ds.getConnection()) {
            assertEquals(3, Databases.longValue(c, "SELECT sum(n) FROM counter"));
        }
    }

    @Test
    void withNoRowsOpenTheReaderGoesBackAtTheMoveSoItsSnapshotHoldsNothingBack() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            Databases.longValue(c, "SELECT n FROM counter WHERE id = 1"); // read, rows closed
            assertEquals(1, ds.health().readersInUse(), "the transaction reads on a reader");
            Databases.exec(c, "UPDATE counter SET n = n + 1 WHERE id = 1");
            assertEquals(0, ds.health().readersInUse(), "moved to the writer with nothing open on the reader: given back");
            c.commit();
        }
    }

    @Test
    void aCommitBetweenTheReadsAndTheFirstWriteFailsThatWriteAsSqliteDoes() throws Exception {
        try (Connection c = ds.getConnection(); Connection other = ds.getConnection()) {
            c.setAutoCommit(false);
            long seen = Databases.longValue(c, "SELECT n FROM counter WHERE id = 1");
            Databases.exec(other, "UPDATE counter SET n = 7 WHERE id = 1"); // commits after c began reading
            SQLException conflict = assertThrows(SQLException.class,
                    () -> Databases.exec(c, "UPDATE counter SET n = " + (seen + 1) + " WHERE id = 1"));
            assertBusySnapshot(conflict);
            assertTrue(conflict.getMessage().contains("optimistic_transactions"), conflict.getMessage());
            // The transaction was rolled back; the next statement starts a new one, on a new snapshot.
            assertEquals(7, Databases.longValue(c, "SELECT n FROM counter WHERE id = 1"));
            Databases.exec(c, "UPDATE counter SET n = n + 1 WHERE id = 1");
            c.commit();
            assertEquals(8, Databases.longValue(other, "SELECT n FROM counter WHERE id = 1"), "no update was lost");
        }
    }

    @Test
    void aCommitThatChangedNothingTheTransactionReadIsNoConflict() throws Exception {
        try (Connection c = ds.getConnection(); Connection other = ds.getConnection()) {
            c.setAutoCommit(false);
            long seen = Databases.longValue(c, "SELECT n FROM counter WHERE id = 1");
            Databases.exec(other, "UPDATE counter SET n = 9 WHERE id = 2"); // a row c never read
            // Its reads run again on its snapshot and on the writer: the same rows, so it goes on.
            Databases.exec(c, "UPDATE counter SET n = " + (seen + 1) + " WHERE id = 1");
            c.commit();
            assertEquals(List.of("1", "9", "0"), Databases.column(other, "SELECT n FROM counter ORDER BY id"));
        }
    }

    @Test
    void anotherProcesssCommitIsSeenToo() throws Exception {
        try (Connection c = ds.getConnection();
             Connection otherProcess = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("optimistic.db"))) {
            c.setAutoCommit(false);
            Databases.longValue(c, "SELECT n FROM counter WHERE id = 2");
            Databases.exec(otherProcess, "UPDATE counter SET n = 5 WHERE id = 2"); // not through this engine
            SQLException conflict = assertThrows(SQLException.class,
                    () -> Databases.exec(c, "UPDATE counter SET n = 1 WHERE id = 2"));
            assertBusySnapshot(conflict);
            c.rollback();
        }
        try (Connection c = ds.getConnection()) {
            assertEquals(5, Databases.longValue(c, "SELECT n FROM counter WHERE id = 2"));
        }
    }

    @Test
    void readModifyWriteUnitsLoseNoUpdateAndInTransactionRunsConflictsAgain() throws Exception {
        int threads = 4;
        int each = 150;
        AtomicInteger attempts = new AtomicInteger();
        TestThreads pool = new TestThreads();
        for (int t = 0; t < threads; t++) {
            pool.start("increment-" + t, () -> {
                for (int i = 0; i < each; i++) {
                    ds.inTransaction(c -> {
                        attempts.incrementAndGet();
                        long n = Databases.longValue(c, "SELECT n FROM counter WHERE id = 3"); // on a reader
                        Databases.exec(c, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 3");
                        return null;
                    });
                }
            });
        }
        pool.joinAll(); // a SQLException in any thread fails here
        try (Connection c = ds.getConnection()) {
            assertEquals(threads * each, Databases.longValue(c, "SELECT n FROM counter WHERE id = 3"),
                    "every increment, none lost to a stale read");
        }
        assertTrue(attempts.get() >= threads * each, "attempts: " + attempts.get());
    }

    @Test
    void whileReadersKeepTheWalFromTruncatingNewOptimisticTransactionsStartOnTheWriter() throws Exception {
        Path file = dir.resolve("drain.db");
        try (SafeSqliteDataSource small = SafeSqliteDataSource.builder().path(file.toString()).optimisticTransactions(true)
                .journalSizeLimit(64 * 1024).checkpointThresholdBytes(16 * 1024).checkpointIntervalMillis(10).dataSource();
             Connection reader = small.getConnection()) {
            try (Connection c = small.getConnection()) {
                Databases.exec(c, "CREATE TABLE t(v BLOB)");
            }
            reader.setReadOnly(true);
            reader.setAutoCommit(false);
            Databases.longValue(reader, "SELECT count(*) FROM t"); // a snapshot on the WAL, kept
            try (Connection c = small.getConnection()) {
                for (int i = 0; i < 64; i++) {
                    Databases.exec(c, "INSERT INTO t VALUES (zeroblob(4096))"); // past journal_size_limit
                }
            }
            Await.until("optimistic transactions take the writer while the WAL cannot be truncated",
                    () -> firstReadHoldsTheWriter(small));
            reader.commit(); // the reader lets go: the next TRUNCATE succeeds
            Await.until("optimistic transactions read beside the writer again", () -> !firstReadHoldsTheWriter(small));
            Await.until("the WAL truncated", () -> Databases.walBytes(file) == 0);
        }
    }

    /**
     * Whether an optimistic transaction's first read ran on the writer: this thread then holds the
     * writer gate (the background checkpointer may hold it too, under its own thread's name).
     */
    private static boolean firstReadHoldsTheWriter(SafeSqliteDataSource ds) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            Databases.longValue(c, "SELECT count(*) FROM t");
            boolean onWriter = Thread.currentThread().getName().equals(ds.health().writerHolder());
            c.rollback();
            return onWriter;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withoutTheSettingANonReadOnlyTransactionReadsOnTheWriter() throws Exception {
        try (SafeSqliteDataSource plain = SafeSqliteDataSource.builder().path(dir.resolve("default.db").toString())
                .gateTimeoutMillis(200).callTimeoutMillis(400).dataSource();
             Connection writer = plain.getConnection(); Connection reader = plain.getConnection()) {
            Databases.exec(writer, "CREATE TABLE t(v)");
            writer.setAutoCommit(false);
            Databases.exec(writer, "INSERT INTO t VALUES (1)");
            reader.setAutoCommit(false);
            SQLException waited = assertThrows(SQLException.class, () -> Databases.column(reader, "SELECT v FROM t"));
            assertTrue(waited.getMessage().contains("writer"), "the default is unchanged: " + waited.getMessage());
        }
    }
}
