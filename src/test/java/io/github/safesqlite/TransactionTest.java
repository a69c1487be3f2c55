package io.github.safesqlite;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.github.safesqlite.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Transactions as DESIGN.md describes them, observed from other threads and other connections. */
class TransactionTest {

    @TempDir
    Path dir;

    private SafeSqliteDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = Databases.dataSource(dir, "tx.db", "gate_timeout=300");
        try (Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            exec(c, "INSERT INTO t(v) VALUES ('first')");
        }
    }

    @AfterEach
    void close() {
        ds.close();
    }

    /** Inserts a row through a new connection on another thread; returns the failure, or null. */
    private Throwable insertFromAnotherThread() throws InterruptedException {
        CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
            try (Connection c = ds.getConnection()) {
                exec(c, "INSERT INTO t(v) VALUES ('other')");
            } catch (SQLException e) {
                throw new RuntimeException(e);
            }
        });
        try {
            f.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause().getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the insert hung", e);
        }
    }

    @Test
    void transactionBeginsAtItsFirstStatementNotAtSetAutoCommit() throws Exception {
        try (Connection a = ds.getConnection()) {
            a.setAutoCommit(false);
            assertEquals(null, insertFromAnotherThread(), "no gate held before the first statement");
            longValue(a, "SELECT count(*) FROM t");
            Throwable blocked = insertFromAnotherThread();
            assertTrue(blocked instanceof SQLTimeoutException, "writers wait once the transaction started: " + blocked);
            a.commit();
            assertEquals(null, insertFromAnotherThread(), "commit released the writer");
        }
    }

    @Test
    void readWriteTransactionTakesTheWriteLockAtOnceWithBeginImmediate() throws Exception {
        try (Connection a = ds.getConnection();
             Connection outside = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tx.db"))) {
            a.setAutoCommit(false);
            longValue(a, "SELECT count(*) FROM t"); // only a read so far
            SQLiteException busy = assertThrows(SQLiteException.class, () -> exec(outside, "BEGIN IMMEDIATE"));
            assertEquals(SQLiteErrorCode.SQLITE_BUSY, busy.getResultCode());
            a.rollback();
            exec(outside, "BEGIN IMMEDIATE");
            exec(outside, "ROLLBACK");
        }
    }

    @Test
    void readOnlyTransactionSeesOneSnapshotAndCannotWrite() throws Exception {
        try (Connection reader = ds.getConnection()) {
            reader.setReadOnly(true);
            reader.setAutoCommit(false);
            assertEquals(1, longValue(reader, "SELECT count(*) FROM t"));
            assertEquals(null, insertFromAnotherThread(), "a read-only transaction does not hold the writer");
            assertEquals(1, longValue(reader, "SELECT count(*) FROM t"), "same snapshot inside the transaction");
            SQLException e = assertThrows(SQLException.class, () -> exec(reader, "INSERT INTO t(v) VALUES ('no')"));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            reader.commit();
            assertEquals(2, longValue(reader, "SELECT count(*) FROM t"), "a new snapshot after commit");
        }
    }

    @Test
    void readOnlyConnectionRefusesWritesInAutocommit() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            SQLException e = assertThrows(SQLException.class, () -> exec(c, "DELETE FROM t"));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            c.setReadOnly(false);
            exec(c, "DELETE FROM t");
            assertEquals(0, longValue(c, "SELECT count(*) FROM t"));
        }
    }

    @Test
    void transactionControlSentAsSql() throws Exception {
        try (Connection c = ds.getConnection()) {
            exec(c, "BEGIN");
            exec(c, "INSERT INTO t(v) VALUES ('rolled back')");
            exec(c, "ROLLBACK");
            assertEquals(1, longValue(c, "SELECT count(*) FROM t"));

            exec(c, "BEGIN IMMEDIATE TRANSACTION");
            exec(c, "INSERT INTO t(v) VALUES ('kept')");
            assertEquals(2, longValue(c, "SELECT count(*) FROM t"), "reads see the transaction's own write");
            exec(c, "COMMIT");
            assertEquals(null, insertFromAnotherThread(), "COMMIT released the writer");
            assertEquals(3, longValue(c, "SELECT count(*) FROM t"));

            SQLException noTx = assertThrows(SQLException.class, () -> exec(c, "COMMIT"));
            assertTrue(noTx.getMessage().contains("no transaction is active"), noTx.getMessage());
            exec(c, "BEGIN");
            SQLException nested = assertThrows(SQLException.class, () -> exec(c, "BEGIN"));
            assertTrue(nested.getMessage().contains("within a transaction"), nested.getMessage());
            exec(c, "END");
        }
    }

    @Test
    void savepointsSentAsSqlFollowSqliteRules() throws Exception {
        try (Connection c = ds.getConnection()) {
            exec(c, "SAVEPOINT outer_sp"); // opens a transaction
            exec(c, "INSERT INTO t(v) VALUES ('a')");
            exec(c, "SAVEPOINT inner_sp");
            exec(c, "INSERT INTO t(v) VALUES ('b')");
            exec(c, "ROLLBACK TO inner_sp");
            assertEquals(2, longValue(c, "SELECT count(*) FROM t"), "b undone, a kept");
            Throwable blocked = insertFromAnotherThread();
            assertTrue(blocked instanceof SQLTimeoutException, "still inside the transaction: " + blocked);
            exec(c, "RELEASE SAVEPOINT outer_sp"); // releasing the outermost commits
            assertEquals(null, insertFromAnotherThread());
            assertEquals(3, longValue(c, "SELECT count(*) FROM t"));
            SQLException unknown = assertThrows(SQLException.class, () -> exec(c, "RELEASE nothing_here"));
            assertTrue(unknown.getMessage().contains("no such savepoint"), unknown.getMessage());
        }
    }

    @Test
    void jdbcSavepoints() throws Exception {
        try (Connection c = ds.getConnection()) {
            // As in sqlite-jdbc, a savepoint in autocommit mode begins a transaction.
            Savepoint first = c.setSavepoint();
            assertFalse(c.getAutoCommit(), "the savepoint turned autocommit off");
            c.releaseSavepoint(first);
            exec(c, "INSERT INTO t(v) VALUES ('a')");
            Savepoint sp = c.setSavepoint("before \"b\"");
            exec(c, "INSERT INTO t(v) VALUES ('b')");
            c.rollback(sp);
            Savepoint sp2 = c.setSavepoint();
            exec(c, "INSERT INTO t(v) VALUES ('c')");
            c.releaseSavepoint(sp2);
            c.commit();
            assertEquals(3, longValue(c, "SELECT count(*) FROM t"));
            assertEquals(0, longValue(c, "SELECT count(*) FROM t WHERE v = 'b'"));
        }
    }

    @Test
    void closingMidTransactionRollsBackAndFreesTheWriter() throws Exception {
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        exec(c, "INSERT INTO t(v) VALUES ('never')");
        c.close();
        assertEquals(null, insertFromAnotherThread());
        try (Connection check = ds.getConnection()) {
            assertEquals(0, longValue(check, "SELECT count(*) FROM t WHERE v = 'never'"));
        }
    }

    @Test
    void failedCommitKeepsTheTransactionOpenUntilRolledBack() throws Exception {
        try (Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE parent(id INTEGER PRIMARY KEY)");
            exec(c, "CREATE TABLE child(parent_id INTEGER REFERENCES parent(id))");
            c.setAutoCommit(false);
            exec(c, "PRAGMA defer_foreign_keys = ON"); // allowed: scoped to this write transaction
            exec(c, "INSERT INTO child VALUES (42)");
            SQLException e = assertThrows(SQLException.class, c::commit);
            assertTrue(e.getMessage().contains("FOREIGN KEY"), e.getMessage());
            assertTrue(insertFromAnotherThread() instanceof SQLTimeoutException, "still in the transaction");
            c.rollback();
            c.setAutoCommit(true);
            assertEquals(0, longValue(c, "SELECT count(*) FROM child"));
            assertEquals(null, insertFromAnotherThread());
        }
    }

    @Test
    void secondConnectionOnTheSameThreadFailsInsteadOfDeadlocking() throws Exception {
        try (Connection a = ds.getConnection(); Connection b = ds.getConnection()) {
            a.setAutoCommit(false);
            exec(a, "INSERT INTO t(v) VALUES ('a')");
            SQLException e = assertThrows(SQLException.class, () -> exec(b, "INSERT INTO t(v) VALUES ('b')"));
            assertTrue(e.getMessage().startsWith("would deadlock"), e.getMessage());
            assertEquals(1, longValue(b, "SELECT count(*) FROM t"), "reads through b still work and do not see a's row");
            a.commit();
            exec(b, "INSERT INTO t(v) VALUES ('b')");
        }
    }

    @Test
    void settingAutocommitBackOnCommits() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            exec(c, "INSERT INTO t(v) VALUES ('x')");
            c.setAutoCommit(true);
            assertFalse(insertFromAnotherThread() instanceof SQLException);
            try (Statement st = c.createStatement()) {
                assertThrows(SQLException.class, c::commit, "commit in autocommit mode is an error");
                assertTrue(st.execute("SELECT 1"));
            }
        }
    }

    @Test
    void aSavepointThatCouldNotStartLeavesNoTransactionBehind() throws Exception {
        try (Connection holder = ds.getConnection(); Connection other = ds.getConnection()) {
            exec(holder, "SAVEPOINT outer");
            exec(holder, "INSERT INTO t(v) VALUES ('held')");
            SQLException e = assertThrows(SQLException.class, () -> exec(other, "SAVEPOINT mine"));
            assertTrue(e.getMessage().startsWith("would deadlock"), e.getMessage());
            // As in SQLite after a failed SAVEPOINT: no transaction, so read-only may change and reads autocommit.
            other.setReadOnly(true);
            other.setReadOnly(false);
            exec(holder, "RELEASE outer"); // commits: SAVEPOINT opened the transaction
            exec(other, "INSERT INTO t(v) VALUES ('autocommitted')");
            assertEquals(3, longValue(holder, "SELECT count(*) FROM t"), "the other connection's insert committed at once");
        }
    }

    @Test
    void aConnectionLostMidTransactionIsRolledBackAndFreesTheWriter() throws Exception {
        abandonInTransaction();
        Await.until("the lost connection's writer is reclaimed", () -> {
            System.gc();
            try {
                return ds.health().writerHolder() == null;
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
        try (Connection c = ds.getConnection()) {
            exec(c, "INSERT INTO t(v) VALUES ('after')"); // the writer is free again
            assertEquals(0, longValue(c, "SELECT count(*) FROM t WHERE v = 'lost'"), "its transaction was rolled back");
            assertEquals(2, longValue(c, "SELECT count(*) FROM t"));
        }
    }

    /** Begins a write transaction on a connection and drops it without commit, rollback or close. */
    private void abandonInTransaction() throws SQLException {
        Connection lost = ds.getConnection();
        lost.setAutoCommit(false);
        exec(lost, "INSERT INTO t(v) VALUES ('lost')");
        assertEquals(Thread.currentThread().getName(), ds.health().writerHolder(), "it holds the writer");
    }
}
