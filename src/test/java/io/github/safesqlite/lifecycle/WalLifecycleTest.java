package io.github.safesqlite.lifecycle;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SharedMetricRegistries;
import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.SafeSqliteDriver;
import io.github.safesqlite.SafeSqliteHealth;
import io.github.safesqlite.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import io.github.safesqlite.SafeSqliteListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** Background checkpoints, checkpoint starvation, online backup, health, JMX and close. */
class WalLifecycleTest {

    private static final int LIMIT = 256 * 1024;

    @TempDir
    Path dir;

    private SafeSqliteDataSource smallWal(String name, String... more) throws SQLException {
        var b = SafeSqliteDataSource.builder().path(dir.resolve(name).toString())
                .set("checkpoint_threshold", "65536").set("checkpoint_interval", "20")
                .set("journal_size_limit", Integer.toString(LIMIT));
        for (String s : more) {
            b.set(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        SafeSqliteDataSource ds = b.dataSource();
        try (Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE IF NOT EXISTS blob(id INTEGER PRIMARY KEY, data BLOB)");
        }
        return ds;
    }

    private static void writeRows(Connection c, int rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO blob(data) VALUES (randomblob(4000))")) {
            for (int i = 0; i < rows; i++) {
                ps.executeUpdate();
            }
        }
    }

    private long walBytes(String name) {
        return Databases.walBytes(dir.resolve(name));
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    private static SafeSqliteHealth health(SafeSqliteDataSource ds) {
        try {
            return ds.health();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private BooleanSupplier walAtMost(String name, long bytes) {
        return () -> {
            try {
                return walBytes(name) <= bytes;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
    }

    /**
     * An application's {@code PRAGMA wal_checkpoint} that arrives while the background checkpointer
     * holds the writer waits for it. Both once asked for the writer under one shared name, and the
     * gate took the second for the first asking twice: "would deadlock".
     */
    @Test
    void anApplicationCheckpointWaitsForTheBackgroundOne() throws Exception {
        AtomicReference<SafeSqliteDataSource> source = new AtomicReference<>();
        AtomicBoolean fired = new AtomicBoolean();
        CountDownLatch applicationDone = new CountDownLatch(1);
        AtomicReference<Throwable> applicationFailure = new AtomicReference<>();
        SafeSqliteListener meddler = new SafeSqliteListener() {
            @Override
            public void checkpointed(String database, String mode, boolean complete) {
                SafeSqliteDataSource ds = source.get();
                if (ds == null || !Thread.currentThread().getName().equals(holder(ds)) || !fired.compareAndSet(false, true)) {
                    return; // only once, and only while this background checkpoint holds the writer
                }
                Thread application = new Thread(() -> {
                    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                        st.execute("PRAGMA wal_checkpoint(PASSIVE)");
                    } catch (Throwable e) {
                        applicationFailure.set(e);
                    } finally {
                        applicationDone.countDown();
                    }
                }, "application-checkpoint");
                application.start();
                // the test's own writer may be queued too: wait for this thread itself to wait for the gate
                Await.until("the application's checkpoint waiting for the writer, or done",
                        () -> applicationDone.getCount() == 0 || waitsForTheGate(application));
            }
        };
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "meddled.db", "checkpoint_threshold=65536",
                "checkpoint_interval=20")) {
            ds.addListener(meddler);
            source.set(ds);
            try (Connection c = ds.getConnection()) {
                exec(c, "CREATE TABLE IF NOT EXISTS blob(id INTEGER PRIMARY KEY, data BLOB)");
                while (!fired.get()) {
                    writeRows(c, 20); // until a background checkpoint runs with the writer held
                }
            }
            applicationDone.await();
            assertEquals(null, applicationFailure.get(), "the application's checkpoint waited its turn");
        }
    }

    private static String holder(SafeSqliteDataSource ds) {
        try {
            return ds.health().writerHolder();
        } catch (SQLException e) {
            return null;
        }
    }

    /** Whether {@code t} is parked in the writer gate's queue. */
    private static boolean waitsForTheGate(Thread t) {
        if (t.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().endsWith("WriterGate") && frame.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One thread writing steadily past checkpoint_threshold: the checkpointer keeps the WAL starting
     * over from its beginning, so commits overwrite the file instead of growing it (which costs a
     * FULL commit's sync about 1.6x). Each start-over writes a new checkpoint sequence number into
     * the WAL's header (https://sqlite.org/fileformat2.html#walformat).
     */
    @Test
    void underSteadyWritesTheWalKeepsStartingOver() throws Exception {
        Path wal = dir.resolve("steady.db-wal");
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "steady.db", "checkpoint_threshold=262144",
                "checkpoint_interval=10");
             Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE t(x BLOB)");
            Set<Long> sequences = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (randomblob(3000))")) {
                for (int i = 0; i < 1_000_000 && sequences.size() < 4; i++) {
                    ps.executeUpdate();
                    if (i % 20 == 0) {
                        sequences.add(checkpointSequence(wal));
                    }
                }
            }
            assertEquals(4, sequences.size(), "the WAL started over three times while one thread wrote: " + sequences);
        }
    }

    /** The checkpoint sequence number in the WAL's header (big-endian, offset 12). Only a test reads SQLite's files. */
    private static long checkpointSequence(Path wal) throws java.io.IOException {
        try (var in = Files.newInputStream(wal)) {
            byte[] header = in.readNBytes(16);
            return java.nio.ByteBuffer.wrap(header).getInt(12) & 0xFFFFFFFFL;
        }
    }

    @Test
    void commitsNeverCheckpointAndTheBackgroundCheckpointerKeepsTheWalSmall() throws Exception {
        MetricRegistry registry = SharedMetricRegistries.getOrCreate("wal-lifecycle-bg");
        try (SafeSqliteDataSource ds = smallWal("bg.db", "metrics_registry=wal-lifecycle-bg");
             Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            exec(c, "SELECT 1");
            try (Statement raw = c.unwrap(SQLiteConnection.class).createStatement();
                 ResultSet rs = raw.executeQuery("PRAGMA wal_autocheckpoint")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "SQLite's auto-checkpoint is off on the writer");
            }
            c.rollback();
            c.setAutoCommit(true);
            writeRows(c, 600); // about 2.4 MB through the WAL
            await("the WAL is back under the limit", walAtMost("bg.db", LIMIT));
            SafeSqliteHealth h = ds.health();
            assertNotEquals("none", h.lastCheckpoint(), "a background checkpoint ran");
            assertFalse(h.checkpointStarved());
            assertEquals(600, longValue(c, "SELECT count(*) FROM blob"));
            assertTrue(registry.meter("safesqlite.bg.checkpoints").getCount() > 0, "the checkpoints were counted");
        }
        assertTrue(registry.getNames().isEmpty(), "closing removed the database's metrics: " + registry.getNames());
    }

    @Test
    void underSteadyWritesBackgroundCheckpointsStillComplete() throws Exception {
        // A checkpoint that ends behind the writers leaves the WAL to grow; one that completes lets
        // the next commit write the WAL from its start again. No size limit here, so no TRUNCATE helps.
        try (SafeSqliteDataSource ds = smallWal("steady.db", "journal_size_limit=-1")) {
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread w = new Thread(() -> {
                    try (Connection c = ds.getConnection()) {
                        while (!stop.get()) {
                            writeRows(c, 1);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                writers.add(w);
                w.start();
            }
            Pattern passive = Pattern.compile("PASSIVE (\\d+)/(\\d+) frames.*");
            Set<String> seen = new LinkedHashSet<>();
            List<String> incomplete = new ArrayList<>();
            try {
                await("20 checkpoints seen while 8 threads keep writing", () -> {
                    String last = health(ds).lastCheckpoint();
                    Matcher m = passive.matcher(last);
                    if (m.matches() && !m.group(2).equals("0") && seen.add(last) && !m.group(1).equals(m.group(2))) {
                        incomplete.add(last);
                    }
                    return seen.size() >= 20 || !errors.isEmpty();
                });
            } finally {
                stop.set(true);
                for (Thread w : writers) {
                    w.join();
                }
            }
            assertTrue(errors.isEmpty(), () -> "writer failed: " + errors.peek());
            assertTrue(seen.size() >= 20, "checkpoints seen while 8 threads kept writing: " + seen);
            assertTrue(incomplete.isEmpty(), "checkpoints that ended behind the writers: " + incomplete);
        }
    }

    @Test
    void aDatabaseOpenedThroughASymbolicLinkIsCheckpointedAtItsRealFile() throws Exception {
        Path realDir = Files.createDirectories(dir.resolve("real"));
        Path link = dir.resolve("link.db");
        Files.createSymbolicLink(link, realDir.resolve("data.db")); // dangling until SQLite creates the file
        try (SafeSqliteDataSource ds = smallWal("link.db"); Connection c = ds.getConnection()) {
            writeRows(c, 100);
            // SQLite writes the WAL beside the real file; the checkpointer must watch that one.
            // (or a checkpoint of it: one that watched a WAL beside the link would see nothing to checkpoint;
            // a TRUNCATE can empty the real one before this looks, and then only its report shows it was seen)
            await("health reports the real WAL", () -> health(ds).walBytes() > 0
                    || health(ds).lastCheckpoint().startsWith("PASSIVE") || health(ds).lastCheckpoint().startsWith("TRUNCATE"));
            writeRows(c, 500); // about 2 MB through the WAL
            Path realWal = realDir.resolve("data.db-wal");
            await("the real WAL is checkpointed back under the limit", () -> {
                try {
                    return Files.size(realWal) <= LIMIT;
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertFalse(Files.exists(dir.resolve("link.db-wal")), "no WAL beside the link");
            assertEquals(600, longValue(c, "SELECT count(*) FROM blob"));
        }
    }

    @Test
    void anApplicationCheckpointRunsThroughTheCheckpointerAndAnswersLikeSqlite() throws Exception {
        List<String> sqliteColumns = new ArrayList<>();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain-cp.db"));
             Statement st = plain.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    sqliteColumns.add(rs.getMetaData().getColumnName(i));
                }
            }
        }
        // A large threshold: no background checkpoint runs, only the application's.
        try (SafeSqliteDataSource ds = smallWal("app-cp.db", "checkpoint_threshold=1000000000");
             Connection c = ds.getConnection(); Connection reader = ds.getConnection()) {
            writeRows(c, 20);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    columns.add(rs.getMetaData().getColumnName(i));
                }
                assertEquals(sqliteColumns, columns, "the same answer as SQLite's");
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "not busy");
            }
            assertEquals(0, walBytes("app-cp.db"), "TRUNCATE emptied the WAL");
            assertTrue(ds.health().lastCheckpoint().startsWith("TRUNCATE"), ds.health().lastCheckpoint());
            // With a reader keeping an old snapshot the checkpoint cannot finish: it says so at once
            // instead of waiting busy_timeout for the reader with every writer stalled behind it.
            reader.setReadOnly(true);
            reader.setAutoCommit(false);
            assertEquals(20, longValue(reader, "SELECT count(*) FROM blob"));
            writeRows(c, 5);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "busy: the reader still needs the WAL");
            }
            assertTrue(ds.health().lastCheckpoint().contains("(busy)"), ds.health().lastCheckpoint());
            writeRows(c, 1); // writers go on
            reader.commit();
            assertEquals(26, longValue(c, "SELECT count(*) FROM blob"));
        }
    }

    @Test
    void aReaderThatKeepsItsSnapshotIsReportedAndTheWalShrinksOnceItEnds() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (SafeSqliteDataSource ds = smallWal("starved.db"); Connection reader = ds.getConnection();
             Connection writer = ds.getConnection()) {
            writeRows(writer, 10);
            reader.setReadOnly(true);
            reader.setAutoCommit(false);
            assertEquals(10, longValue(reader, "SELECT count(*) FROM blob")); // snapshot taken and kept
            // Writes go on until the checkpointer reports the reader that holds it back (after a second).
            await("checkpoints report the reader that keeps its snapshot", () -> {
                try {
                    writeRows(writer, 20);
                    SafeSqliteHealth now = ds.health();
                    return now.checkpointStarved() && walBytes("starved.db") > LIMIT;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(walBytes("starved.db") > LIMIT, "the WAL grew past the limit: " + walBytes("starved.db"));
            SafeSqliteHealth h = ds.health();
            assertTrue(h.checkpointStarved(), "starvation is visible in the health snapshot: " + h);
            assertTrue(h.oldestReaderMillis() >= 1_000, "with the reader's age: " + h);
            assertEquals(10, longValue(reader, "SELECT count(*) FROM blob"), "the reader still sees its snapshot");
            reader.commit();
            await("the WAL is back under the limit", walAtMost("starved.db", LIMIT));
            await("starvation is over", () -> {
                try {
                    return !ds.health().checkpointStarved();
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("cannot keep up") && log.contains("kept its snapshot for"), log);
    }

    @Test
    void onlineBackupDuringWritesIsConsistent() throws Exception {
        try (SafeSqliteDataSource ds = smallWal("live.db")) {
            try (Connection c = ds.getConnection()) {
                exec(c, "CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER)");
                exec(c, "INSERT INTO account(balance) SELECT 100 FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                        + "SELECT i + 1 FROM n WHERE i < 50) SELECT i FROM n)");
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            Thread transfers = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        ds.inTransaction(c -> {
                            int a = 1 + ThreadLocalRandom.current().nextInt(50);
                            int b = 1 + ThreadLocalRandom.current().nextInt(50);
                            exec(c, "UPDATE account SET balance = balance - 7 WHERE id = " + a);
                            exec(c, "UPDATE account SET balance = balance + 7 WHERE id = " + b);
                            return null;
                        });
                        done.incrementAndGet();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
            transfers.start();
            await("transfers are running", () -> done.get() >= 20 || !errors.isEmpty());
            Path copy = dir.resolve("copy.db");
            ds.backup(copy);
            long transfersDuringBackup = done.get();
            await("transfers go on after the backup", () -> done.get() > transfersDuringBackup || !errors.isEmpty());
            stop.set(true);
            transfers.join();
            assertTrue(errors.isEmpty(), errors.toString());
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
                assertEquals("ok", text(c, "PRAGMA integrity_check"));
                assertEquals(5_000, longValue(c, "SELECT sum(balance) FROM account"), "one consistent moment");
            }
            SQLException exists = assertThrows(SQLException.class, () -> ds.backup(copy));
            assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
            SQLException noDir = assertThrows(SQLException.class, () -> ds.backup(dir.resolve("nope/copy.db")));
            assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void healthShowsTheWriterItsQueueAndReadersAndIsOnJmx() throws Exception {
        ObjectName name = new ObjectName("io.github.safesqlite:type=Database,name=\"health\"");
        try (SafeSqliteDataSource ds = smallWal("health.db", "jmx=true", "gate_timeout=2000");
             Connection holder = ds.getConnection(); Connection reading = ds.getConnection()) {
            holder.setAutoCommit(false);
            exec(holder, "INSERT INTO blob(data) VALUES (x'00')");
            Thread waiter = new Thread(() -> {
                try (Connection c = ds.getConnection()) {
                    exec(c, "INSERT INTO blob(data) VALUES (x'01')");
                } catch (SQLException ignored) {
                    // times out while the holder keeps the writer
                }
            });
            waiter.start();
            Statement st = reading.createStatement();
            ResultSet open = st.executeQuery("SELECT id FROM blob");
            await("the waiter queues", () -> {
                try {
                    return ds.health().writersQueued() == 1;
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            });
            SafeSqliteHealth h = ds.health();
            assertEquals("wal", h.journalMode());
            assertEquals(Thread.currentThread().getName(), h.writerHolder());
            assertTrue(h.readersInUse() >= 1, h.toString());
            var server = ManagementFactory.getPlatformMBeanServer();
            assertEquals("wal", server.getAttribute(name, "JournalMode"));
            assertEquals(1, server.getAttribute(name, "WritersQueued"));
            open.close();
            holder.commit();
            waiter.join();
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(name), "unregistered at close");
    }

    @Test
    void closeLetsWorkInFlightFinishThenCheckpointsAndRefusesNewWork() throws Exception {
        SafeSqliteDataSource ds = smallWal("close.db");
        Connection busy = ds.getConnection();
        busy.setAutoCommit(false);
        writeRows(busy, 50);
        Thread closer = new Thread(ds::close);
        closer.start();
        Await.inFrame(closer, "io.github.safesqlite.engine.WriterGate", "await"); // close waits for the writer
        busy.commit(); // finishes inside close_timeout: the close waited for it
        busy.close();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertEquals(0, walBytes("close.db"), "the final TRUNCATE checkpoint emptied the WAL");
        SQLException e = assertThrows(SQLException.class, ds::getConnection);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("close.db"))) {
            assertEquals(50, longValue(c, "SELECT count(*) FROM blob"), "the drained transaction was kept");
        }
    }

    @Test
    void driverDatabasesCanBeClosedByUrl() throws Exception {
        String url = "jdbc:safesqlite:" + dir.resolve("driver.db");
        Connection first = DriverManager.getConnection(url);
        exec(first, "CREATE TABLE t(x)");
        SafeSqliteDriver.close(url);
        SQLException e = assertThrows(SQLException.class, () -> exec(first, "INSERT INTO t VALUES (1)"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        first.close();
        try (Connection again = DriverManager.getConnection(url)) {
            exec(again, "INSERT INTO t VALUES (1)");
            assertEquals(1, longValue(again, "SELECT count(*) FROM t"));
        }
        SafeSqliteDriver.close(url);
    }
}
