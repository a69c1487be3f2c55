package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Busy periods (docs/design.md, "Busy periods"): a groupable write (an autocommit statement, a
 * batched unit) that finds the writer busy is handed to the data source's writer thread, and its
 * caller waits for it there with the bounds it has at the gate. Real files, real threads; every
 * wait ends on an observable state (the health's queue, a thread's frame, a latch).
 */
class BusyPeriodsTest {

    @TempDir
    Path dir;

    private SafeSqliteDataSource dataSource(String name, String... settings) throws SQLException {
        List<String> all = new ArrayList<>(List.of(settings));
        all.add("batch_transactions=true");
        SafeSqliteDataSource ds = Databases.dataSource(dir, name, all.toArray(new String[0]));
        try (Connection c = ds.getConnection()) {
            Databases.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
        }
        return ds;
    }

    /** A connection that holds the writer: a write transaction left open. */
    private static Connection holdingTheWriter(SafeSqliteDataSource ds) throws SQLException {
        Connection holder = ds.getConnection();
        holder.setAutoCommit(false);
        Databases.exec(holder, "INSERT INTO t(v) VALUES ('held')");
        return holder;
    }

    private static void awaitQueued(SafeSqliteDataSource ds, int writers) {
        Await.until(writers + " writer(s) queued", () -> {
            try {
                return ds.health().writersQueued() == writers;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<String> values(SafeSqliteDataSource ds) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT v FROM t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aLoneWriterRunsItsUnitOnItsOwnThreadWithoutAHandOff() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("lone.db")) {
            for (int i = 0; i < 3; i++) {
                Thread ran = ds.inTransaction(c -> {
                    Databases.exec(c, "INSERT INTO t(v) VALUES ('lone')");
                    return Thread.currentThread();
                });
                assertEquals(Thread.currentThread(), ran, "nobody else writes: the caller takes the free writer itself");
            }
            assertEquals(List.of("lone", "lone", "lone"), values(ds));
        }
    }

    @Test
    void writesQueuedBehindABusyWriterRunOnTheWriterThreadAndShareOneCommit() throws Exception {
        List<Integer> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (SafeSqliteDataSource ds = dataSource("busy.db")) {
            ds.addListener(new SafeSqliteListener() {
                @Override
                public void writesGrouped(String database, int statements) {
                    groups.add(statements);
                }
            });
            AtomicReference<String> unitThread = new AtomicReference<>();
            TestThreads threads = new TestThreads();
            try (Connection holder = holdingTheWriter(ds)) {
                threads.start("unit", () -> unitThread.set(ds.inTransaction(c -> {
                    Databases.exec(c, "INSERT INTO t(v) VALUES ('unit')");
                    return Thread.currentThread().getName();
                })));
                awaitQueued(ds, 1); // counted while it waits on the writer thread, not in the gate
                threads.start("statement", () -> {
                    try (Connection c = ds.getConnection()) {
                        Databases.exec(c, "INSERT INTO t(v) VALUES ('statement')");
                    }
                });
                awaitQueued(ds, 2);
                holder.commit();
            }
            threads.joinAll();
            assertTrue(unitThread.get().startsWith("safesqlite-async-"), unitThread.get());
            assertEquals(List.of("held", "unit", "statement"), values(ds), "in the order they queued");
            assertTrue(groups.contains(2), "the two queued writes shared one COMMIT: " + groups);
        }
    }

    @Test
    void aWriteThatWaitedPastGateTimeoutIsWithdrawnAndNeverRuns() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("timeout.db", "gate_timeout=200")) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            TestThreads threads = new TestThreads();
            try (Connection holder = holdingTheWriter(ds)) {
                threads.start("late", () -> {
                    try (Connection c = ds.getConnection()) {
                        Databases.exec(c, "INSERT INTO t(v) VALUES ('late')");
                    } catch (SQLException e) {
                        failure.set(e);
                    }
                });
                threads.joinAll(); // it gives up while the writer is still held
                holder.commit();
            }
            assertInstanceOf(SQLTimeoutException.class, failure.get());
            assertEquals("HYT00", ((SQLException) failure.get()).getSQLState());
            assertTrue(failure.get().getMessage().contains("for the writer of"), failure.get().getMessage());
            // Runs after the withdrawn write in the writer thread's order: once it returned, that one has passed.
            assertEquals(1L, ds.executeAsync("INSERT INTO t(v) VALUES ('after')").join());
            assertEquals(List.of("held", "after"), values(ds), "the withdrawn write never ran");
            assertEquals(0, ds.health().writersQueued());
        }
    }

    @Test
    void aHandedOverWriteThatStartedIsWaitedForPastTheBoundAndReportsItsRealOutcome() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("started.db", "gate_timeout=200")) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Integer> result = new AtomicReference<>();
            TestThreads threads = new TestThreads();
            Thread caller;
            try (Connection holder = holdingTheWriter(ds)) {
                caller = threads.start("slow unit", () -> result.set(ds.inTransaction(c -> {
                    Databases.exec(c, "INSERT INTO t(v) VALUES ('slow')");
                    started.countDown();
                    try {
                        assertTrue(release.await(2, TimeUnit.MINUTES), "released");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException(e);
                    }
                    return 42;
                })));
                awaitQueued(ds, 1);
                holder.commit();
            }
            assertTrue(started.await(2, TimeUnit.MINUTES), "the unit started on the writer thread");
            // The caller's bound (gate_timeout) passes while its unit runs: it waits on for the outcome.
            Await.inFrame(caller, "io.github.safesqlite.AsyncWriter$Operation", "outcome");
            release.countDown();
            threads.joinAll();
            assertEquals(42, result.get(), "what the unit returned, not a time-out");
            assertEquals(List.of("held", "slow"), values(ds));
        }
    }

    @Test
    void aSecondDataSourceOnTheFileKeepsWritingWhenTheOneServingItsBusyPeriodsCloses() throws Exception {
        SafeSqliteDataSource first = dataSource("shared.db");
        try (SafeSqliteDataSource second = Databases.dataSource(dir, "shared.db", "batch_transactions=true")) {
            second.getConnection().close(); // both open; the first serves the file's busy periods
            first.close();
            TestThreads threads = new TestThreads();
            try (Connection holder = holdingTheWriter(second)) {
                for (int i = 0; i < 4; i++) {
                    int n = i;
                    threads.start("writer-" + n, () -> second.inTransaction(c -> {
                        Databases.exec(c, "INSERT INTO t(v) VALUES ('w')");
                        return null;
                    }));
                }
                awaitQueued(second, 4);
                holder.commit();
            }
            threads.joinAll();
            assertEquals(5, values(second).size(), "the held row and all four writes");
        }
    }
}
