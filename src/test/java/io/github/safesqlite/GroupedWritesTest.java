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
 * Groupable writes through a data source (docs/design.md, "Group commit"): an autocommit statement
 * or a batched unit takes a free writer on its own thread; behind a busy one it waits in the gate,
 * where whoever takes the writer next runs it in one group with the rest, and its caller waits with
 * the gate's bounds. Real files, real threads; every wait ends on an observable state (the health's
 * queue, a latch, the clock passing a bound).
 */
class GroupedWritesTest {

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
    void aLoneWriterRunsItsUnitOnItsOwnThread() throws Exception {
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
    void writesQueuedBehindABusyWriterShareOneCommitRunByTheFirstOfThem() throws Exception {
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
                awaitQueued(ds, 1);
                threads.start("statement", () -> {
                    try (Connection c = ds.getConnection()) {
                        Databases.exec(c, "INSERT INTO t(v) VALUES ('statement')");
                    }
                });
                awaitQueued(ds, 2);
                holder.commit();
            }
            threads.joinAll();
            assertEquals("unit", unitThread.get(), "the first in line takes the writer on its own thread");
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
            assertEquals(1L, ds.executeAsync("INSERT INTO t(v) VALUES ('after')").join());
            assertEquals(List.of("held", "after"), values(ds), "the withdrawn write never ran");
            assertEquals(0, ds.health().writersQueued());
        }
    }

    @Test
    void aWriteRunInAnotherCallersGroupIsWaitedForPastItsBoundAndReportsItsRealOutcome() throws Exception {
        long bound = 1000; // a second so that the first unit's thread surely claims the second before it
        try (SafeSqliteDataSource ds = dataSource("started.db", "gate_timeout=" + bound)) {
            AtomicReference<Long> queuedAt = new AtomicReference<>();
            AtomicReference<Integer> result = new AtomicReference<>();
            TestThreads threads = new TestThreads();
            try (Connection holder = holdingTheWriter(ds)) {
                threads.start("slow unit", () -> ds.inTransaction(c -> {
                    Databases.exec(c, "INSERT INTO t(v) VALUES ('slow')");
                    // The second unit is in this group now, started; its caller's bound passes while it waits.
                    Await.until("the second caller waited past gate_timeout",
                            () -> System.nanoTime() - queuedAt.get() > TimeUnit.MILLISECONDS.toNanos(2 * bound));
                    return 1;
                }));
                awaitQueued(ds, 1);
                threads.start("second unit", () -> result.set(ds.inTransaction(c -> {
                    Databases.exec(c, "INSERT INTO t(v) VALUES ('second')");
                    return 42;
                })));
                awaitQueued(ds, 2);
                queuedAt.set(System.nanoTime());
                holder.commit();
            }
            threads.joinAll();
            assertEquals(42, result.get(), "what the unit returned, not a time-out");
            assertEquals(List.of("held", "slow", "second"), values(ds));
        }
    }
}
