package io.github.safesqlite.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 virtual threads of transfers, asynchronous updates and reads through one data source, on JDK 21 and later (CI
 * runs it with Temurin 25; the library itself stays Java 17, so virtual threads are reached by
 * reflection). sqlite-jdbc enters native code holding monitors, which pins a virtual thread to its
 * carrier; safesqlite's own waits (the writer gate, the reader pool, a connection's lock) park
 * without a monitor, so pinned threads never wait for unmounted ones and nothing deadlocks. The
 * throughput against 8 platform threads is printed for the README, not asserted.
 *
 * <p>On JDK 17 it is skipped, unless {@code -Dsafesqlite.requireVirtualThreads=true} (as in CI's
 * Temurin run) turns the skip into a failure.
 */
class VirtualThreadsTest {

    @TempDir
    Path dir;

    private static final int ACCOUNTS = 100;
    private static final int VIRTUAL = 1_000;
    private static final int EACH = 20;

    @Test
    void aThousandVirtualThreadsOfTransfersAndReadsCompleteWithNoErrors() throws Exception {
        ExecutorService virtual = virtualThreadPerTask();
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "virtual.db")) {
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
                Databases.exec(c, "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < " + ACCOUNTS
                        + ") INSERT INTO account SELECT i, 1000 FROM k");
            }
            ExecutorService platform = Executors.newFixedThreadPool(8);
            run(ds, platform, 8); // warms the JIT up, so that neither measured run pays for it
            double onVirtual = run(ds, virtual, VIRTUAL);
            double onPlatform = run(ds, platform, 8);
            platform.shutdown();
            System.out.printf(Locale.ROOT, "virtual threads: %d threads %.0f ops/s; 8 platform threads %.0f ops/s (%.2fx)%n",
                    VIRTUAL, onVirtual, onPlatform, onVirtual / onPlatform);
            try (Connection c = ds.getConnection()) {
                assertEquals(ACCOUNTS * 1000L, Databases.longValue(c, "SELECT sum(balance) FROM account"),
                        "no money made or lost");
            }
        } finally {
            virtual.shutdown();
        }
    }

    /**
     * {@code tasks} tasks of EACH operations each (one in five a transfer, one in five an asynchronous
     * update waited for); returns operations per second.
     */
    private static double run(SafeSqliteDataSource ds, ExecutorService executor, int tasks) throws Exception {
        int each = tasks == VIRTUAL ? EACH : VIRTUAL * EACH / tasks;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        Future<?>[] futures = new Future<?>[tasks];
        for (int t = 0; t < tasks; t++) {
            futures[t] = executor.submit(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        if (i % 5 == 0) {
                            transfer(ds);
                        } else if (i % 5 == 1) {
                            touch(ds);
                        } else {
                            read(ds);
                        }
                        done.incrementAndGet();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
        }
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.MINUTES); // a deadlock fails here rather than hanging the build
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
        assertEquals((long) tasks * each, done.get());
        return done.get() / seconds;
    }

    private static void transfer(SafeSqliteDataSource ds) throws SQLException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int from = 1 + r.nextInt(ACCOUNTS);
        int to = 1 + r.nextInt(ACCOUNTS);
        ds.inTransaction(c -> {
            long balance;
            try (PreparedStatement read = c.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
                read.setInt(1, from);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    balance = rs.getLong(1);
                }
            }
            if (balance >= 5) {
                try (PreparedStatement move = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
                    move.setInt(1, -5);
                    move.setInt(2, from);
                    move.executeUpdate();
                    move.setInt(1, 5);
                    move.setInt(2, to);
                    move.executeUpdate();
                }
            }
            return null;
        });
    }

    /** An asynchronous write waited for: the future's own wait parks the virtual thread, never a carrier. */
    private static void touch(SafeSqliteDataSource ds) throws SQLException {
        int id = 1 + ThreadLocalRandom.current().nextInt(ACCOUNTS);
        assertEquals(1L, ds.executeAsync("UPDATE account SET balance = balance WHERE id = ?", id).join());
    }

    private static void read(SafeSqliteDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT sum(balance) FROM account")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(ACCOUNTS * 1000L, rs.getLong(1), "every read sees a consistent snapshot");
            }
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, reached by reflection so that this compiles on 17. */
    private static ExecutorService virtualThreadPerTask() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            boolean required = Boolean.getBoolean("safesqlite.requireVirtualThreads");
            if (required) {
                throw new AssertionError("virtual threads are required here but Java " + Runtime.version()
                        + " has none", e);
            }
            Assumptions.abort("virtual threads need Java 21 or later; this is " + Runtime.version());
            throw new AssertionError("unreachable");
        }
    }
}
