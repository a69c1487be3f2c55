package io.github.safesqlite.faults;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Failures a user can meet, each ending in a clear SQLException with no acknowledged write lost. */
class FaultInjectionTest {

    @TempDir
    Path dir;

    /** A plain sqlite-jdbc connection outside safesqlite holding BEGIN EXCLUSIVE, as the sqlite3 shell would. */
    private Connection holdExclusive(Path db) throws SQLException {
        Connection outside = DriverManager.getConnection("jdbc:sqlite:" + db);
        exec(outside, "BEGIN EXCLUSIVE");
        exec(outside, "INSERT INTO t(v) VALUES ('outside')");
        return outside;
    }

    private SafeSqliteDataSource dataSource(String name, String... settings) throws SQLException {
        SafeSqliteDataSource ds = Databases.dataSource(dir, name, settings);
        try (Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
        }
        return ds;
    }

    @Test
    void aLockHeldOutsideForLessThanTheBudgetIsWaitedOut() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("short.db", "busy_timeout=50", "retry_budget=10000");
             Connection c = ds.getConnection()) {
            Connection outside = holdExclusive(dir.resolve("short.db"));
            Thread inserting = Thread.currentThread();
            TestThreads threads = new TestThreads();
            threads.start("release", () -> {
                // Only once the insert has met the lock and waits to try again does the outside commit.
                Await.inFrame(inserting, "io.github.safesqlite.retry.Retrying", "sleep");
                exec(outside, "COMMIT");
                outside.close();
            });
            exec(c, "INSERT INTO t(v) VALUES ('inside')");
            threads.joinAll();
            assertEquals(2, longValue(c, "SELECT count(*) FROM t"));
            assertEquals(2, longValue(c, "SELECT id FROM t WHERE v = 'inside'"), "it ran after the outside commit");
        }
    }

    @Test
    void theWriterWaitsOutAnOutsideLockWithinBusyTimeoutEvenWithoutRetries() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("handler.db", "busy_timeout=5000", "retry_budget=0");
             Connection c = ds.getConnection()) {
            exec(c, "PRAGMA busy_timeout = 5000"); // the enforced value: accepted, and it must not undo the handler
            Connection outside = holdExclusive(dir.resolve("handler.db"));
            Thread inserting = Thread.currentThread();
            TestThreads threads = new TestThreads();
            threads.start("release", () -> {
                Await.inFrame(inserting, "io.github.safesqlite.engine.ShortSleepBusyHandler", "callback");
                exec(outside, "COMMIT");
                outside.close();
            });
            c.setAutoCommit(false);
            exec(c, "INSERT INTO t(v) VALUES ('inside')"); // BEGIN IMMEDIATE waits in the busy handler
            c.commit();
            threads.joinAll();
            assertEquals(2, longValue(c, "SELECT count(*) FROM t"));
        }
    }

    @Test
    void aLockHeldOutsideForLongerThanTheBudgetFailsNamingTheBudget() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("long.db", "busy_timeout=50", "retry_budget=600");
             Connection c = ds.getConnection(); Connection outside = holdExclusive(dir.resolve("long.db"))) {
            for (String how : List.of("autocommit", "transaction")) {
                long start = System.nanoTime();
                SQLException e = assertThrows(SQLException.class, () -> {
                    if (how.equals("transaction")) {
                        c.setAutoCommit(false);
                    }
                    exec(c, "INSERT INTO t(v) VALUES ('inside')");
                }, how);
                long took = (System.nanoTime() - start) / 1_000_000;
                assertTrue(took >= 500, how + " gave up after " + took + " ms, before its budget was spent");
                assertTrue(e.getMessage().contains("stayed busy") && e.getMessage().contains("retry_budget 600 ms"),
                        e.getMessage());
                assertTrue(e.getMessage().matches("(?s).*gave up after \\d+ attempt\\(s\\) in \\d+ ms.*"), e.getMessage());
                assertTrue(e.getCause() instanceof SQLiteException se
                        && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code, String.valueOf(e.getCause()));
                if (how.equals("transaction")) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
            exec(outside, "ROLLBACK");
            exec(c, "INSERT INTO t(v) VALUES ('after')");
            assertEquals(1, longValue(c, "SELECT count(*) FROM t"));
        }
    }

    /**
     * Starts an insert on another thread, interrupts it once it waits in {@code className.method},
     * and checks it ended cleanly.
     */
    /** Opens a connection the way a test's user does: from its data source, or through the driver. */
    @FunctionalInterface
    private interface Opener {
        Connection open() throws SQLException;
    }

    private static void insertAndInterruptWhileIn(SafeSqliteDataSource ds, String className, String method)
            throws InterruptedException {
        insertAndInterruptWhileIn(ds::getConnection, className, method);
    }

    private static void insertAndInterruptWhileIn(Opener connections, String className, String method)
            throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (Connection c = connections.open()) {
                exec(c, "INSERT INTO t(v) VALUES ('never')");
            } catch (Throwable e) {
                failure.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        writer.start();
        Await.inFrame(writer, className, method);
        writer.interrupt();
        writer.join(10_000);
        assertFalse(writer.isAlive(), "the interrupted writer returned");
        assertTrue(failure.get() instanceof SQLException && failure.get().getMessage().contains("interrupted"),
                String.valueOf(failure.get()));
        assertTrue(flag.get(), "interrupt flag kept");
    }

    @Test
    void interruptedWhileSleepingBetweenRetries() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("retry.db", "busy_timeout=5", "retry_base=20", "retry_cap=200",
                "retry_budget=60000"); Connection outside = holdExclusive(dir.resolve("retry.db"))) {
            insertAndInterruptWhileIn(ds, "io.github.safesqlite.retry.Retrying", "sleep");
            exec(outside, "ROLLBACK");
            try (Connection c = ds.getConnection()) {
                assertEquals(0, longValue(c, "SELECT count(*) FROM t"), "the interrupted write did not happen");
            }
        }
    }

    @Test
    void interruptedWhileWaitingForTheWriterGate() throws Exception {
        String url = "jdbc:safesqlite:" + dir.resolve("gate.db");
        try (Connection holder = DriverManager.getConnection(url)) {
            exec(holder, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            holder.setAutoCommit(false);
            exec(holder, "INSERT INTO t(v) VALUES ('held')");
            insertAndInterruptWhileIn(() -> DriverManager.getConnection(url), "io.github.safesqlite.engine.WriterGate",
                    "await");
            holder.commit();
            assertEquals(1, longValue(holder, "SELECT count(*) FROM t"), "only the holder's row");
            exec(holder, "INSERT INTO t(v) VALUES ('gate still works')");
        }
    }

    @Test
    void interruptedWhileWaitingForTheWriterGateOfADataSource() throws Exception {
        // A data source's autocommit write waits in the same gate; its asynchronous writer must not
        // have been given the withdrawn write either.
        try (SafeSqliteDataSource ds = dataSource("ds-gate.db"); Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false);
            exec(holder, "INSERT INTO t(v) VALUES ('held')");
            insertAndInterruptWhileIn(ds, "io.github.safesqlite.engine.WriterGate", "await");
            holder.commit();
            assertEquals(1L, ds.executeAsync("INSERT INTO t(v) VALUES ('after')").join());
            assertEquals(List.of("held", "after"), values(holder), "the interrupted write never ran");
        }
    }

    private static List<String> values(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT v FROM t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aReadOnlyFileIsReportedWhenTheDataSourceOpens() throws Exception {
        Path db = dir.resolve("ro.db");
        try (SafeSqliteDataSource ds = dataSource("ro.db")) {
            ds.getConnection().close();
        }
        Process chattr = new ProcessBuilder("chattr", "+i", db.toString()).redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr.waitFor() == 0,
                "this file system cannot make a file immutable (chattr +i), which even root cannot write");
        try {
            SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(db.toString()).dataSource();
            SQLException e = assertThrows(SQLException.class, ds::getConnection);
            assertTrue(e.getMessage().contains("cannot be written") || e.getMessage().contains("could not open"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("writable"), e.getMessage());
            ds.close();
        } finally {
            new ProcessBuilder("chattr", "-i", db.toString()).start().waitFor();
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsReported() throws Exception {
        Path db = dir.resolve("not.db");
        Files.writeString(db, "this is a text file, not a database. ".repeat(200));
        SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(db.toString()).dataSource();
        SQLException e = assertThrows(SQLException.class, ds::getConnection);
        assertTrue(e.getMessage().contains("is not a usable SQLite database"), e.getMessage());
        ds.close();
        assertTrue(Files.readString(db).startsWith("this is a text file"), "the file was not touched");
    }

    @Test
    void aFullDiskFailsTheWriteClearlyAndKeepsEverythingAcknowledged() throws Exception {
        // max_page_count caps the file as a full disk would; set directly on the writer, inside a transaction.
        try (SafeSqliteDataSource ds = dataSource("full.db"); Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            long pages = longValue(c, "PRAGMA page_count");
            try (Statement raw = c.unwrap(SQLiteConnection.class).createStatement()) {
                raw.execute("PRAGMA max_page_count = " + (pages + 8));
            }
            c.commit();
            c.setAutoCommit(true);
            List<Long> acknowledged = new ArrayList<>();
            SQLException full = null;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(v) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < 1_000 && full == null; i++) {
                    ps.setString(1, "x".repeat(2_000));
                    try {
                        ps.executeUpdate();
                        var keys = ps.getGeneratedKeys();
                        keys.next();
                        acknowledged.add(keys.getLong(1));
                    } catch (SQLException e) {
                        full = e;
                    }
                }
            }
            assertTrue(full != null, "the capped file filled up");
            assertTrue(full instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_FULL, full.toString());
            assertTrue(full.getMessage().contains("full"), full.getMessage());
            assertEquals(acknowledged.size(), longValue(c, "SELECT count(*) FROM t"), "every acknowledged row is there");
            exec(c, "DELETE FROM t");
            exec(c, "INSERT INTO t(v) VALUES ('room again')");
            assertEquals("ok", Databases.text(c, "PRAGMA integrity_check"));
        }
    }

    @Test
    void closingTheDataSourceUnderLoadEndsEveryCallCleanly() throws Exception {
        Path db = dir.resolve("closing.db");
        SafeSqliteDataSource ds = dataSource("closing.db");
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boolean writer = i % 2 == 0;
            Thread t = new Thread(() -> {
                try (Connection c = ds.getConnection()) {
                    while (true) {
                        if (writer) {
                            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(v) VALUES ('w')",
                                    Statement.RETURN_GENERATED_KEYS)) {
                                ps.executeUpdate();
                                var keys = ps.getGeneratedKeys();
                                keys.next();
                                acknowledged.add(keys.getLong(1));
                            }
                        } else {
                            longValue(c, "SELECT count(*) FROM t");
                        }
                    }
                } catch (SQLException expected) {
                    // the data source closed under us: this is the clean ending
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        Await.until("some writes acknowledged under load", () -> acknowledged.size() >= 20);
        ds.close();
        for (Thread t : threads) {
            t.join(15_000);
            assertFalse(t.isAlive(), "a thread hung after close");
        }
        assertTrue(unexpected.isEmpty(), () -> "not a SQLException: " + unexpected);
        SQLException after = assertThrows(SQLException.class, ds::getConnection);
        assertTrue(after.getMessage().contains("closed"), after.getMessage());
        try (SafeSqliteDataSource reopened = SafeSqliteDataSource.builder().path(db.toString()).dataSource();
             Connection c = reopened.getConnection()) {
            assertTrue(acknowledged.size() > 0, "some writes were acknowledged");
            long present = 0;
            for (long id : acknowledged) {
                present += longValue(c, "SELECT count(*) FROM t WHERE id = " + id);
            }
            assertEquals(acknowledged.size(), present, "every acknowledged row survived the close");
        }
    }
}
