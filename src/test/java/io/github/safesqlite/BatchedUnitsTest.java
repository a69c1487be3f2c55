package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/**
 * Batched units of work ({@code batch_transactions=true}) on real files and real threads: units
 * queued behind the writer run in one physical transaction, each in its own savepoint, each caller
 * getting its own outcome after the shared COMMIT. See docs/design.md, "Batched units of work";
 * {@link BatchedUnitsProperties} checks random groups against units run one by one.
 */
class BatchedUnitsTest {

    @TempDir
    Path dir;

    private final List<Integer> groups = new CopyOnWriteArrayList<>();

    /** A batching data source on a new file, after running {@code schema} (statements) on it. */
    private SafeSqliteDataSource dataSource(String name, String... schema) throws SQLException {
        SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve(name).toString())
                .batchTransactions(true).listener(new SafeSqliteListener() {
                    @Override
                    public void writesGrouped(String database, int statements) {
                        groups.add(statements);
                    }
                }).dataSource();
        try (Connection c = ds.getConnection()) {
            for (String statement : schema) {
                Databases.exec(c, statement);
            }
        }
        return ds;
    }

    /** What one unit's caller saw. */
    static final class Outcome {
        volatile Object result;
        volatile Throwable failure;
        volatile String callbackThread;
        volatile String callbackMdc;
        volatile String callerThread;
        /** Whether the caller's thread had its interrupt flag set when {@code inTransaction} returned. */
        volatile boolean callerInterrupted;
    }

    /**
     * Starts one {@code inTransaction} per unit, each on its own thread with its own MDC, all queued
     * behind {@code blocker}'s open write transaction, then lets the writer go.
     */
    static Outcome[] queueBehind(SafeSqliteDataSource ds, Connection blocker, List<UnitOfWork<Object>> units)
            throws Exception {
        Outcome[] outcomes = new Outcome[units.size()];
        TestThreads threads = new TestThreads();
        for (int i = 0; i < units.size(); i++) {
            int n = i;
            Outcome o = outcomes[n] = new Outcome();
            threads.start("unit-" + n, () -> {
                MDC.put("request", "r" + n);
                o.callerThread = Thread.currentThread().getName();
                try {
                    o.result = ds.inTransaction(c -> {
                        o.callbackThread = Thread.currentThread().getName();
                        o.callbackMdc = MDC.get("request");
                        return units.get(n).run(c);
                    });
                } catch (SQLException | RuntimeException e) {
                    o.failure = e;
                } finally {
                    o.callerInterrupted = Thread.interrupted();
                    MDC.clear();
                }
            });
            Await.until("unit " + n + " queued", () -> queued(ds) == n + 1);
        }
        blocker.commit(); // the gate goes to the first unit, whose thread runs the others with it
        threads.joinAll();
        return outcomes;
    }

    static int queued(SafeSqliteDataSource ds) {
        try {
            return ds.health().writersQueued();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection holdWriter(SafeSqliteDataSource ds) throws SQLException {
        Connection blocker = ds.getConnection();
        blocker.setAutoCommit(false);
        Databases.exec(blocker, "INSERT INTO t VALUES ('blocker')");
        return blocker;
    }

    /** {@link #queueBehind} a write transaction of this test's own (it inserts 'blocker' into t). */
    private static Outcome[] queueBehindTheWriter(SafeSqliteDataSource ds, List<UnitOfWork<Object>> units)
            throws Exception {
        try (Connection blocker = holdWriter(ds)) {
            return queueBehind(ds, blocker, units);
        }
    }

    @Test
    void queuedUnitsShareOneCommitAndAFailingUnitCostsOnlyItsOwnCaller() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("units.db",
                "CREATE TABLE t(v TEXT UNIQUE)",
                "INSERT INTO t VALUES ('taken')")) {
            Outcome[] o = queueBehindTheWriter(ds, List.of(
                    c -> {
                        Databases.exec(c, "INSERT INTO t VALUES ('a')");
                        Databases.exec(c, "INSERT INTO t VALUES ('a2')");
                        return "first";
                    },
                    c -> {
                        Databases.exec(c, "INSERT INTO t VALUES ('b')");
                        throw new IllegalStateException("the application gives up");
                    },
                    c -> {
                        Databases.exec(c, "INSERT INTO t VALUES ('c0')");
                        Databases.exec(c, "INSERT INTO t VALUES ('taken')");
                        return "never";
                    },
                    // Sees what the units before it in the group wrote: they precede it in the serial order.
                    c -> Databases.longValue(c, "SELECT count(*) FROM t WHERE v IN ('a', 'a2', 'b', 'c0')")));
            assertEquals("first", o[0].result);
            assertEquals("the application gives up", o[1].failure.getMessage(), "the unit's own exception, as thrown");
            assertTrue(o[2].failure instanceof SQLException && o[2].failure.getMessage().contains("UNIQUE"),
                    "the constraint reaches the unit that broke it: " + o[2].failure);
            assertEquals(2L, o[3].result, "only the first unit's rows were there; the failed units left nothing");
            assertNull(o[3].failure);
            assertEquals(List.of(4), groups, "the four units shared one COMMIT");
            for (int i = 0; i < o.length; i++) {
                assertEquals("r" + i, o[i].callbackMdc, "each callback sees its own caller's MDC");
            }
            assertEquals(o[0].callerThread, o[3].callbackThread,
                    "a unit queued behind another runs on the thread that holds the writer (documented)");
            try (Connection c = ds.getConnection()) {
                assertEquals(List.of("a", "a2", "blocker", "taken"), Databases.column(c, "SELECT v FROM t ORDER BY v"));
            }
        }
    }

    /**
     * A callback that restores an interrupt (the usual catch of InterruptedException) raises it for
     * its own caller, as if it had run on its caller's thread: the thread that ran it for that caller
     * is left as it was.
     */
    @Test
    void anInterruptACallbackRaisesReachesItsOwnCallerNotTheThreadThatRanIt() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("interrupt.db",
                "CREATE TABLE t(v)")) {
            Outcome[] o = queueBehindTheWriter(ds, List.of(
                    c -> {
                        Databases.exec(c, "INSERT INTO t VALUES ('plain')");
                        return "plain";
                    },
                    c -> {
                        Databases.exec(c, "INSERT INTO t VALUES ('interrupted')");
                        Thread.currentThread().interrupt();
                        return "interrupted";
                    }));
            assertEquals(o[0].callerThread, o[1].callbackThread, "the second unit ran on the first one's thread");
            assertEquals("interrupted", o[1].result, "it ran to the end and committed");
            assertTrue(o[1].callerInterrupted, "its caller got the interrupt it raised");
            assertFalse(o[0].callerInterrupted, "the thread that ran it for that caller did not");
        }
    }

    @Test
    void aGroupWhoseCommitFailsRunsEachUnitAloneSoOnlyTheCulpritFails() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("deferred.db",
                "CREATE TABLE t(v TEXT)",
                "CREATE TABLE parent(id INTEGER PRIMARY KEY)",
                "CREATE TABLE child(p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)",
                "INSERT INTO parent VALUES (1)")) {
            AtomicInteger firstRuns = new AtomicInteger();
            Outcome[] o = queueBehindTheWriter(ds, List.of(
                    c -> {
                        firstRuns.incrementAndGet();
                        Databases.exec(c, "INSERT INTO child VALUES (1)");
                        return 1;
                    },
                    // Passes as statements; fails only at the COMMIT, which takes the whole group down.
                    c -> {
                        Databases.exec(c, "INSERT INTO child VALUES (99)");
                        return 2;
                    },
                    c -> {
                        Databases.exec(c, "INSERT INTO child VALUES (1)");
                        return 3;
                    }));
            assertEquals(1, o[0].result);
            assertTrue(o[1].failure instanceof SQLException && o[1].failure.getMessage().contains("FOREIGN KEY"),
                    "only the culprit fails: " + o[1].failure);
            assertEquals(3, o[2].result);
            assertEquals(2, firstRuns.get(), "a unit whose group could not commit runs again alone (as after a busy retry)");
            assertEquals(List.of(1), groups, "no group committed");
            try (Connection c = ds.getConnection()) {
                assertEquals(List.of("1", "1"), Databases.column(c, "SELECT p FROM child"));
            }
        }
    }

    @Test
    void aUnitsConnectionStaysInItsTransactionAndNestingFailsAtOnce() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("rules.db",
                "CREATE TABLE t(v TEXT)")) {
            String done = ds.inTransaction(c -> {
                SQLException autocommit = assertThrows(SQLException.class, () -> c.setAutoCommit(true));
                assertTrue(autocommit.getMessage().contains("stays in its transaction"), autocommit.getMessage());
                Databases.exec(c, "INSERT INTO t VALUES ('kept')");
                SQLException nested = assertThrows(SQLException.class,
                        () -> ds.inTransaction(inner -> inner.createStatement().executeUpdate("INSERT INTO t VALUES ('x')")));
                assertEquals("40001", nested.getSQLState(), "refused at once, not after a time-out: " + nested);
                return "done";
            });
            assertEquals("done", done);
            try (Connection c = ds.getConnection()) {
                assertEquals(List.of("kept"), Databases.column(c, "SELECT v FROM t"));
            }
        }
    }

    @Test
    void eightThreadsOfTransfersKeepTheTotalAndEveryAcknowledgedTransfer() throws Exception {
        int threads = 8;
        int each = 300;
        try (SafeSqliteDataSource ds = dataSource("transfers.db")) {
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0))");
                Databases.exec(c, "CREATE TABLE log(id INTEGER PRIMARY KEY, thread INTEGER, n INTEGER)");
                Databases.exec(c, "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 10) "
                        + "INSERT INTO account SELECT i, 100 FROM k");
            }
            AtomicInteger refused = new AtomicInteger();
            TestThreads pool = new TestThreads();
            for (int t = 0; t < threads; t++) {
                int me = t;
                pool.start("transfer-" + t, () -> {
                    for (int n = 0; n < each; n++) {
                        int from = 1 + (me + n) % 10;
                        int to = 1 + (me + 3 * n + 1) % 10;
                        int amount = 1 + n % 30;
                        int seq = n;
                        try {
                            ds.inTransaction(c -> {
                                long balance;
                                try (var ps = c.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
                                    ps.setInt(1, from);
                                    try (var rs = ps.executeQuery()) {
                                        rs.next();
                                        balance = rs.getLong(1);
                                    }
                                }
                                if (balance < amount) {
                                    throw new IllegalStateException("insufficient");
                                }
                                Databases.exec(c, "UPDATE account SET balance = balance - " + amount + " WHERE id = " + from);
                                Databases.exec(c, "UPDATE account SET balance = balance + " + amount + " WHERE id = " + to);
                                Databases.exec(c, "INSERT INTO log(thread, n) VALUES (" + me + ", " + seq + ")");
                                return null;
                            });
                        } catch (IllegalStateException insufficient) {
                            refused.incrementAndGet();
                        }
                    }
                });
            }
            pool.joinAll(); // any SQLException fails the test here
            try (Connection c = ds.getConnection()) {
                assertEquals(1000, Databases.longValue(c, "SELECT sum(balance) FROM account"), "no money made or lost");
                assertEquals(threads * each - refused.get(), Databases.longValue(c, "SELECT count(*) FROM log"),
                        "every acknowledged transfer, and no refused one");
            }
        }
    }
}
