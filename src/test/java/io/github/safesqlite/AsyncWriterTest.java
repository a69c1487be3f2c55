package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The asynchronous writer: futures complete after the COMMIT that made their work durable, with
 * each operation's own outcome; the queue is bounded with back-pressure and never drops work;
 * close() waits for what it accepted.
 */
class AsyncWriterTest {

    @TempDir
    Path dir;

    private static long rowsByPlainSqlite(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return Databases.longValue(c, "SELECT count(*) FROM t");
        }
    }

    @Test
    void everyCompletedFutureIsACommittedRowAndFailuresReachOnlyTheirOwnFuture() throws Exception {
        Path file = dir.resolve("async.db");
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(file.toString()).dataSource()) {
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT UNIQUE)");
            }
            List<CompletableFuture<Long>> inserts = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                inserts.add(ds.executeAsync("INSERT INTO t(v) VALUES (?)", i == 150 ? "v-0" : "v-" + i));
            }
            int failed = 0;
            for (CompletableFuture<Long> f : inserts) {
                try {
                    assertEquals(1L, f.get());
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof SQLException && e.getCause().getMessage().contains("UNIQUE"),
                            String.valueOf(e.getCause()));
                    failed++;
                }
            }
            assertEquals(1, failed, "only the duplicate failed");
            // Completed means committed: a separate plain sqlite-jdbc connection sees every row.
            assertEquals(299, rowsByPlainSqlite(file));
            Integer answer = ds.inTransactionAsync(c -> {
                Databases.exec(c, "INSERT INTO t(v) VALUES ('unit')");
                return 42;
            }).get();
            assertEquals(42, answer);
            CompletableFuture<Object> failing = ds.inTransactionAsync(c -> {
                Databases.exec(c, "INSERT INTO t(v) VALUES ('rolled back')");
                throw new SQLException("the unit changed its mind");
            });
            ExecutionException e = assertThrows(ExecutionException.class, failing::get);
            assertEquals("the unit changed its mind", e.getCause().getMessage());
            assertEquals(300, rowsByPlainSqlite(file), "the failed unit left nothing");
        }
    }

    @Test
    void aFullQueueMakesTheCallerWaitAndThenFailsWithoutDroppingAcceptedWork() throws Exception {
        // One slow unit fills a queue of one: it holds the writer while it runs (units are batched), so
        // anything queued behind it would wait for the writer too; the bound under test is the queue's.
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("full.db").toString())
                .asyncQueue(1).callTimeoutMillis(300).dataSource()) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            UnitOfWork<Integer> slow = c -> {
                try {
                    release.await(); // occupies its place in the queue until the test lets it go
                } catch (InterruptedException e) {
                    throw new SQLException(e);
                }
                return 1;
            };
            CompletableFuture<Integer> first = ds.inTransactionAsync(slow);
            CompletableFuture<Integer> second = ds.inTransactionAsync(slow); // no room for call_timeout
            ExecutionException refused = assertThrows(ExecutionException.class, second::get);
            assertTrue(refused.getCause() instanceof SQLTimeoutException
                    && refused.getCause().getMessage().contains("was not queued"), String.valueOf(refused.getCause()));
            assertFalse(first.isDone(), "accepted work is still there, not dropped");
            release.countDown();
            assertEquals(1, first.get());
        }
    }

    @Test
    void aCallerWaitsForRoomRatherThanLosingItsWork() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("room.db").toString())
                .asyncQueue(1).callTimeoutMillis(600_000).dataSource()) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Integer> first = ds.inTransactionAsync(c -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new SQLException(e);
                }
                return 1;
            });
            java.util.concurrent.atomic.AtomicReference<CompletableFuture<Integer>> second =
                    new java.util.concurrent.atomic.AtomicReference<>();
            io.github.safesqlite.testing.TestThreads threads = new io.github.safesqlite.testing.TestThreads();
            Thread caller = threads.start("second caller", () -> second.set(ds.inTransactionAsync(c -> 2)));
            Await.inFrame(caller, AsyncWriter.class.getName(), "submit"); // waiting for room, holding its work
            assertFalse(first.isDone());
            release.countDown();
            threads.joinAll();
            assertEquals(1, first.get());
            assertEquals(2, second.get().get(), "accepted once there was room, and run");
        }
    }

    @Test
    void closeWaitsForTheWorkItAccepted() throws Exception {
        Path file = dir.resolve("close.db");
        List<CompletableFuture<Long>> accepted = new ArrayList<>();
        SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(file.toString()).closeTimeoutMillis(60_000)
                .dataSource();
        try (Connection c = ds.getConnection()) {
            Databases.exec(c, "CREATE TABLE t(v)");
        }
        for (int i = 0; i < 100; i++) {
            accepted.add(ds.executeAsync("INSERT INTO t VALUES (?)", i));
        }
        ds.close();
        for (CompletableFuture<Long> f : accepted) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally(), "finished before close returned");
        }
        assertEquals(100, rowsByPlainSqlite(file));
        SQLException afterClose = assertThrows(SQLException.class, () -> ds.executeAsync("INSERT INTO t VALUES (0)"));
        assertTrue(afterClose.getMessage().contains("closed"), afterClose.getMessage());
    }
}
