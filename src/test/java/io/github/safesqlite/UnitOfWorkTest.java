package io.github.safesqlite;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** inTransaction / inReadOnlyTransaction: commit once, re-run whole on busy, never after a commit or another error. */
class UnitOfWorkTest {

    @TempDir
    Path dir;

    private SafeSqliteDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = Databases.dataSource(dir, "uow.db", "busy_timeout=20", "retry_budget=800");
        try (Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
        }
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private long rows() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return longValue(c, "SELECT count(*) FROM t");
        }
    }

    @Test
    void commitsAndReturnsTheResult() throws Exception {
        long id = ds.inTransaction(c -> {
            exec(c, "INSERT INTO t(v) VALUES ('a')");
            return longValue(c, "SELECT last_insert_rowid()");
        });
        assertEquals(1, id);
        assertEquals(1, rows());
    }

    @Test
    void aBusyFailureRollsBackAndRunsTheWholeUnitAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        String result = ds.inTransaction(c -> {
            exec(c, "INSERT INTO t(v) VALUES ('attempt')");
            if (runs.incrementAndGet() < 3) {
                throw new SQLiteException("simulated busy", SQLiteErrorCode.SQLITE_BUSY);
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(3, runs.get());
        assertEquals(1, rows(), "the failed attempts were rolled back");
    }

    @Test
    void anyOtherFailureRollsBackAndIsNeverRetried() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        SQLException boom = new SQLException("boom");
        SQLException e = assertThrows(SQLException.class, () -> ds.inTransaction(c -> {
            runs.incrementAndGet();
            exec(c, "INSERT INTO t(v) VALUES ('x')");
            throw boom;
        }));
        assertSame(boom, e);
        assertEquals(1, runs.get());
        assertEquals(0, rows());
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> ds.inTransaction(c -> {
            runs.incrementAndGet();
            exec(c, "INSERT INTO t(v) VALUES ('y')");
            throw bug;
        })));
        assertEquals(2, runs.get());
        assertEquals(0, rows());
    }

    @Test
    void aDatabaseBusyForLongerThanTheBudgetEndsTheRetries() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (Connection outside = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("uow.db"))) {
            exec(outside, "BEGIN EXCLUSIVE");
            exec(outside, "INSERT INTO t(v) VALUES ('outside')");
            SQLException e = assertThrows(SQLException.class, () -> ds.inTransaction(c -> {
                runs.incrementAndGet();
                exec(c, "INSERT INTO t(v) VALUES ('inside')");
                return null;
            }));
            assertTrue(e.getMessage().contains("stayed busy"), e.getMessage());
            assertEquals(1, runs.get(), "a spent budget is not spent again by the unit of work");
            exec(outside, "ROLLBACK");
        }
        assertEquals(0, rows());
    }

    @Test
    void readOnlyUnitsReadOneSnapshotAndCannotWrite() throws Exception {
        ds.inTransaction(c -> {
            exec(c, "INSERT INTO t(v) VALUES ('a')");
            return null;
        });
        long seen = ds.inReadOnlyTransaction(c -> longValue(c, "SELECT count(*) FROM t"));
        assertEquals(1, seen);
        SQLException e = assertThrows(SQLException.class, () -> ds.inReadOnlyTransaction(c -> {
            exec(c, "DELETE FROM t");
            return null;
        }));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertEquals(1, rows());
    }
}
