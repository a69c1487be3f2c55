package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workloads that fail on plain sqlite-jdbc (read-then-write transactions, contended
 * autocommit inserts) run on real threads against a real file: no error reaches the application,
 * money is conserved, and every acknowledged insert is there afterwards.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    /** Each thread runs at least this many rounds, so a busy machine still exercises the contention. */
    private static final int MIN_ROUNDS = 5;
    private static final int ACCOUNTS = 50;
    private static final long START_BALANCE = 1_000;

    @TempDir
    Path dir;

    @Test
    void readThenWriteTransfersFromEightThreadsNeverFailAndConserveMoney() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("bank.db").toString()).dataSource()) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
                st.executeUpdate("INSERT INTO account(balance) SELECT " + START_BALANCE
                        + " FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        + ACCOUNTS + ") SELECT i FROM n)");
            }
            AtomicLong committed = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            runFor(2_000, errors, () -> {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    transfer(c);
                    c.commit();
                    committed.incrementAndGet();
                }
            });
            assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
            assertTrue(committed.get() > THREADS, "transfers committed: " + committed.get());
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT sum(balance), min(balance) FROM account")) {
                rs.next();
                assertEquals(ACCOUNTS * START_BALANCE, rs.getLong(1), "money is conserved");
                assertTrue(rs.getLong(2) >= 0, "no account went negative");
            }
        }
    }

    @Test
    void autocommitInsertsFromEightThreadsAreAllAcknowledgedAndPresent() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("log.db").toString()).dataSource()) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE event(thread INTEGER, seq INTEGER, PRIMARY KEY (thread, seq))");
            }
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
            ThreadLocal<long[]> seq = ThreadLocal.withInitial(() -> new long[1]);
            runFor(1_500, errors, () -> {
                try (Connection c = ds.getConnection();
                     PreparedStatement ps = c.prepareStatement("INSERT INTO event(thread, seq) VALUES (?, ?)")) {
                    long id = Thread.currentThread().getId();
                    long n = ++seq.get()[0];
                    ps.setLong(1, id);
                    ps.setLong(2, n);
                    assertEquals(1, ps.executeUpdate());
                    acknowledged.add(id + ":" + n);
                }
            });
            assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
            Set<String> present = new HashSet<>();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT thread, seq FROM event")) {
                while (rs.next()) {
                    present.add(rs.getLong(1) + ":" + rs.getLong(2));
                }
            }
            assertTrue(acknowledged.size() > THREADS, "inserts acknowledged: " + acknowledged.size());
            assertEquals(acknowledged.size(), present.size(), "no row beyond the acknowledged ones");
            assertTrue(present.containsAll(acknowledged), "every acknowledged row is present");
        }
    }

    /**
     * Every way of writing at once, so that the gate interleaves them: transactions on connections,
     * batched units, autocommit inserts, and asynchronous units and inserts (waited for one by one,
     * and submitted twenty at a time). Money is conserved and every acknowledged insert is there.
     */
    @Test
    void everyKindOfWriterAtOnceConservesMoneyAndLosesNoAcknowledgedInsert() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("mixed.db").toString())
                .batchTransactions(true).dataSource()) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
                st.executeUpdate("INSERT INTO account(balance) SELECT " + START_BALANCE
                        + " FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        + ACCOUNTS + ") SELECT i FROM n)");
                st.executeUpdate("CREATE TABLE event(id TEXT PRIMARY KEY)");
            }
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicInteger roles = new java.util.concurrent.atomic.AtomicInteger();
            ThreadLocal<Integer> role = ThreadLocal.withInitial(roles::getAndIncrement);
            AtomicLong ids = new AtomicLong();
            runFor(2_000, errors, () -> {
                switch (role.get() % THREADS) {
                    case 0 -> {
                        try (Connection c = ds.getConnection()) {
                            c.setAutoCommit(false);
                            transfer(c);
                            c.commit();
                        }
                    }
                    case 1, 2 -> ds.inTransaction(c -> {
                        transfer(c);
                        return null;
                    });
                    case 3 -> ds.inTransactionAsync(c -> {
                        transfer(c);
                        return null;
                    }).join();
                    case 4 -> {
                        try (Connection c = ds.getConnection();
                             PreparedStatement ps = c.prepareStatement("INSERT INTO event VALUES (?)")) {
                            String id = "sync-" + ids.incrementAndGet();
                            ps.setString(1, id);
                            assertEquals(1, ps.executeUpdate());
                            acknowledged.add(id);
                        }
                    }
                    case 5 -> {
                        String id = "async-" + ids.incrementAndGet();
                        assertEquals(1L, ds.executeAsync("INSERT INTO event VALUES (?)", id).join());
                        acknowledged.add(id);
                    }
                    default -> {
                        List<String> batch = new ArrayList<>();
                        List<java.util.concurrent.CompletableFuture<Long>> pending = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            String id = "pipelined-" + ids.incrementAndGet();
                            batch.add(id);
                            pending.add(ds.executeAsync("INSERT INTO event VALUES (?)", id));
                        }
                        for (int i = 0; i < pending.size(); i++) {
                            assertEquals(1L, pending.get(i).join());
                            acknowledged.add(batch.get(i));
                        }
                    }
                }
            });
            assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT sum(balance), min(balance) FROM account")) {
                    rs.next();
                    assertEquals(ACCOUNTS * START_BALANCE, rs.getLong(1), "money is conserved");
                    assertTrue(rs.getLong(2) >= 0, "no account went negative");
                }
                Set<String> present = new HashSet<>();
                try (ResultSet rs = st.executeQuery("SELECT id FROM event")) {
                    while (rs.next()) {
                        present.add(rs.getString(1));
                    }
                }
                assertEquals(new HashSet<>(acknowledged), present, "exactly the acknowledged inserts");
            }
        }
    }

    /** Moves a random amount between two random accounts, if the first has it. */
    private static void transfer(Connection c) throws SQLException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int from = 1 + r.nextInt(ACCOUNTS);
        int to = 1 + r.nextInt(ACCOUNTS);
        long amount = 1 + r.nextInt(20);
        try (PreparedStatement read = c.prepareStatement("SELECT balance FROM account WHERE id = ?");
             PreparedStatement move = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
            read.setInt(1, from);
            long balance;
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                balance = rs.getLong(1);
            }
            if (balance >= amount) {
                move.setLong(1, -amount);
                move.setInt(2, from);
                move.executeUpdate();
                move.setLong(1, amount);
                move.setInt(2, to);
                move.executeUpdate();
            }
        }
    }

    /** A unit of work that may throw; any exception counts as an error the application would have seen. */
    interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} in a loop on {@link #THREADS} threads for about {@code millis}, and at least
     * {@link #MIN_ROUNDS} times on each thread however slow the machine is.
     */
    static void runFor(long millis, ConcurrentLinkedQueue<Throwable> errors, Work work) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        long[] deadline = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < MIN_ROUNDS || System.nanoTime() < deadline[0]; round++) {
                        try {
                            work.run();
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                } catch (InterruptedException e) {
                    errors.add(e);
                }
            }, "worker-" + i);
            threads.add(t);
            t.start();
        }
        deadline[0] = System.nanoTime() + millis * 1_000_000;
        start.countDown();
        for (Thread t : threads) {
            t.join(millis + 120_000);
            assertTrue(!t.isAlive(), t.getName() + " is stuck");
        }
    }
}
