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

    /** A data source from {@code settings} whose database has just been given the table {@code ddl} makes. */
    private static SafeSqliteDataSource withTable(SafeSqliteConfig.Builder settings, String ddl) throws SQLException {
        SafeSqliteDataSource ds = settings.dataSource();
        try (Connection c = ds.getConnection()) {
            Databases.exec(c, ddl);
        }
        return ds;
    }

    /**
     * Runs {@code body} on this thread while a write transaction of this thread's, which has inserted
     * {@code marker} into t, holds the writer; commits once {@code body} returned, and returns what it did.
     */
    private static <T> T whileWriterHeld(SafeSqliteDataSource ds, Object marker,
            java.util.concurrent.Callable<T> body) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                insert.setObject(1, marker);
                insert.executeUpdate();
            }
            T result = body.call();
            c.commit();
            return result;
        }
    }

    /** A data source with its defaults on {@code file}, which has just been given the table t(v). */
    private static SafeSqliteDataSource tableT(Path file) throws SQLException {
        return withTable(SafeSqliteDataSource.builder().path(file.toString()), "CREATE TABLE t(v)");
    }

    /**
     * A unit that inserts {@code value} (unless null), counts {@code running} down (unless null) and
     * then holds the writer until {@code release} opens; an interrupt fails it.
     */
    private static UnitOfWork<Integer> holdingUnit(String value, java.util.concurrent.CountDownLatch running,
            java.util.concurrent.CountDownLatch release) {
        return c -> {
            if (value != null) {
                Databases.exec(c, "INSERT INTO t VALUES ('" + value + "')");
            }
            if (running != null) {
                running.countDown();
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new SQLException("interrupted", e);
            }
            return 1;
        };
    }

    private static long rowsByPlainSqlite(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return Databases.longValue(c, "SELECT count(*) FROM t");
        }
    }

    @Test
    void everyCompletedFutureIsACommittedRowAndFailuresReachOnlyTheirOwnFuture() throws Exception {
        Path file = dir.resolve("async.db");
        try (SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder().path(file.toString()),
                "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT UNIQUE)")) {
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
            UnitOfWork<Integer> slow = holdingUnit(null, null, release); // occupies its place until let go
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
            CompletableFuture<Integer> first = ds.inTransactionAsync(holdingUnit(null, null, release));
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
        SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder().path(file.toString()).closeTimeoutMillis(60_000),
                "CREATE TABLE t(v)");
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
    @Test
    void operationsRunInTheOrderTheyWereSubmitted() throws Exception {
        Path file = dir.resolve("order.db");
        int n = 600;
        List<CompletableFuture<?>> all = new ArrayList<>();
        try (SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder().path(file.toString()), "CREATE TABLE t(seq INTEGER)")) {
            for (int i = 0; i < n; i++) {
                int seq = i;
                CompletableFuture<?> f;
                if (i == n / 2) {
                    f = ds.executeAsync("VACUUM"); // cannot join a group: it runs by itself, in its turn
                } else if (i % 3 == 0) {
                    f = ds.inTransactionAsync(c -> {
                        Databases.exec(c, "INSERT INTO t VALUES (" + seq + ")");
                        return seq;
                    });
                } else {
                    f = ds.executeAsync("INSERT INTO t VALUES (?)", seq);
                }
                all.add(f);
            }
            for (CompletableFuture<?> f : all) {
                f.get();
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != n / 2) {
                expected.add(i);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            List<Integer> written = new ArrayList<>();
            for (String v : Databases.column(c, "SELECT seq FROM t ORDER BY rowid")) {
                written.add(Integer.valueOf(v));
            }
            assertEquals(expected, written, "rows written in submission order");
        }
    }

    @Test
    void operationsQueuedBehindABusyWriterShareCommitsWithoutAThreadEach() throws Exception {
        java.util.concurrent.atomic.AtomicInteger largestGroup = new java.util.concurrent.atomic.AtomicInteger();
        SafeSqliteListener groups = new SafeSqliteListener() {
            @Override
            public void writesGrouped(String database, int statements) {
                largestGroup.accumulateAndGet(statements, Math::max);
            }
        };
        Path file = dir.resolve("groups.db");
        try (SafeSqliteDataSource ds = withTable(
                SafeSqliteDataSource.builder().path(file.toString()).listener(groups), "CREATE TABLE t(v)")) {
            List<CompletableFuture<Long>> inserts = whileWriterHeld(ds, -1, () -> {
                List<CompletableFuture<Long>> queued = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    queued.add(ds.executeAsync("INSERT INTO t VALUES (?)", i));
                }
                Await.until("the asynchronous writer waits for the writer", () -> health(ds).writersQueued() > 0);
                return queued;
            });
            for (CompletableFuture<Long> f : inserts) {
                assertEquals(1L, f.get());
            }
        }
        assertEquals(201, rowsByPlainSqlite(file));
        // With a thread per waiting operation, a group held at most as many operations as threads.
        assertEquals(AsyncWriter.MAX_BATCH, largestGroup.get(), "operations queued meanwhile went to the writer together");
    }

    @Test
    void aStageThatBlocksUntilLaterWorkIsDoneHoldsUpNothing() throws Exception {
        Path file = dir.resolve("stages.db");
        try (SafeSqliteDataSource ds = tableT(file)) {
            java.util.concurrent.CountDownLatch later = new java.util.concurrent.CountDownLatch(1);
            // The stages are chained while the writer is held, so before their futures complete.
            List<CompletableFuture<Long>> stages = whileWriterHeld(ds, 0, () -> {
                CompletableFuture<Long> first = ds.executeAsync("INSERT INTO t VALUES (1)");
                return List.of(first.thenApply(count -> {
                    try {
                        later.await(); // blocks its thread until work submitted after it is done
                    } catch (InterruptedException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                    return uncheckedExecuteAsync(ds, "INSERT INTO t VALUES (3)").join() + count;
                }), first.thenCompose(count -> uncheckedExecuteAsync(ds, "INSERT INTO t VALUES (4)")));
            });
            CompletableFuture<Long> waiting = stages.get(0);
            CompletableFuture<Long> composed = stages.get(1);
            assertEquals(1L, ds.executeAsync("INSERT INTO t VALUES (2)").get(), "written while a stage blocks");
            later.countDown();
            assertEquals(2L, waiting.get(), "a stage may wait for more asynchronous work");
            assertEquals(1L, composed.get());
        }
        assertEquals(5, rowsByPlainSqlite(file));
    }

    /**
     * Two operations of one batch, both with stages, one stage waiting for the other operation's
     * future: their stages must not run one after another on one thread, or the first would wait for
     * a completion queued behind itself.
     */
    @Test
    void aStageWaitingForAnotherOperationOfItsOwnBatchGetsIt() throws Exception {
        Path file = dir.resolve("same-batch.db");
        try (SafeSqliteDataSource ds = tableT(file)) {
            List<CompletableFuture<Long>> futures = whileWriterHeld(ds, "blocker", () -> { // a and b: one batch
                CompletableFuture<Long> a = ds.executeAsync("INSERT INTO t VALUES ('a')");
                CompletableFuture<Long> b = ds.executeAsync("INSERT INTO t VALUES ('b')");
                java.util.concurrent.atomic.AtomicLong logged = new java.util.concurrent.atomic.AtomicLong();
                a.whenComplete((n, e) -> logged.incrementAndGet());
                b.whenComplete((n, e) -> logged.incrementAndGet());
                return List.of(a.thenApply(n -> n + b.join()), b);
            });
            CompletableFuture<Long> waiting = futures.get(0);
            CompletableFuture<Long> b = futures.get(1);
            Await.until("the stage that waits for b finished", waiting::isDone);
            assertEquals(2L, waiting.get());
            assertEquals(1L, b.get());
        }
        assertEquals(3, rowsByPlainSqlite(file));
    }

    @Test
    void aUnitThatWaitsForAnotherAsynchronousOperationFailsInsteadOfWaitingForItself() throws Exception {
        Path file = dir.resolve("nested.db");
        try (SafeSqliteDataSource ds = tableT(file)) {
            java.util.concurrent.atomic.AtomicReference<CompletableFuture<Long>> nested =
                    new java.util.concurrent.atomic.AtomicReference<>();
            CompletableFuture<Long> unit = ds.inTransactionAsync(c -> {
                Databases.exec(c, "INSERT INTO t VALUES ('unit')");
                nested.set(ds.executeAsync("INSERT INTO t VALUES ('nested')"));
                return nested.get().join(); // on the asynchronous writer's thread, which holds the writer
            });
            ExecutionException refused = assertThrows(ExecutionException.class, unit::get);
            assertTrue(refused.getCause() instanceof SQLException
                    && "40001".equals(((SQLException) refused.getCause()).getSQLState())
                    && refused.getCause().getMessage().contains("would deadlock"), String.valueOf(refused.getCause()));
            assertEquals(1L, nested.get().get(), "the operation it submitted still ran, after it");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(List.of("nested"), Databases.column(c, "SELECT v FROM t"), "the failed unit left nothing");
        }
    }

    private static CompletableFuture<Long> uncheckedExecuteAsync(SafeSqliteDataSource ds, String sql) {
        try {
            return ds.executeAsync(sql);
        } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    @Test
    void closeFailsWhatHadNotStartedByItsTimeoutAndEveryFutureTellsTheTruth() throws Exception {
        Path file = dir.resolve("abandon.db");
        SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder().path(file.toString()).closeTimeoutMillis(300),
                "CREATE TABLE t(v)");
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        // Held until close() gives up on it and interrupts the writer's thread.
        CompletableFuture<Integer> stuck = ds.inTransactionAsync(holdingUnit("stuck", running, never));
        running.await();
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(ds.executeAsync("INSERT INTO t VALUES (?)", i));
        }
        ds.close();
        for (CompletableFuture<Long> f : queued) {
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertTrue(e.getCause().getMessage().contains("did not run"), e.getCause().getMessage());
        }
        boolean stuckCommitted;
        try {
            stuck.get();
            stuckCommitted = true;
        } catch (ExecutionException interrupted) {
            stuckCommitted = false;
        }
        assertEquals(stuckCommitted ? 1 : 0, rowsByPlainSqlite(file), "its row is there exactly when its future says so");
    }

    /**
     * A thread whose interrupt flag is set (a pool shutting down, a cancelled request) still queues
     * work when there is room, and keeps its flag; only a wait for room is cut short by it.
     */
    @Test
    void anInterruptedThreadQueuesWorkWhenThereIsRoomAndKeepsItsFlag() throws Exception {
        Path file = dir.resolve("interrupted-caller.db");
        try (SafeSqliteDataSource ds = tableT(file)) {
            CompletableFuture<Long> inserted;
            Thread.currentThread().interrupt();
            try {
                inserted = ds.executeAsync("INSERT INTO t VALUES ('queued while interrupted')");
            } finally {
                assertTrue(Thread.interrupted(), "the flag is still set (and cleared here)");
            }
            assertEquals(1L, inserted.get());
        }
        assertEquals(1, rowsByPlainSqlite(file));
    }

    @Test
    void missingWorkOrSqlIsRefusedAtTheCallAndANullParameterArrayBindsNothing() throws Exception {
        Path file = dir.resolve("nulls.db");
        try (SafeSqliteDataSource ds = tableT(file)) {
            NullPointerException noWork = assertThrows(NullPointerException.class, () -> ds.inTransactionAsync(null));
            assertTrue(noWork.getMessage().contains("work"), noWork.getMessage());
            NullPointerException noSql = assertThrows(NullPointerException.class, () -> ds.executeAsync(null));
            assertTrue(noSql.getMessage().contains("sql"), noSql.getMessage());
            assertEquals(1L, ds.executeAsync("INSERT INTO t VALUES (1)", (Object[]) null).get());
        }
        assertEquals(1, rowsByPlainSqlite(file));
    }

    /** A future cancelled before its operation started keeps it from running, and gives its place back. */
    @Test
    void anOperationWhoseFutureIsCancelledBeforeItStartsNeverRuns() throws Exception {
        Path file = dir.resolve("cancel.db");
        try (SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder().path(file.toString()).asyncQueue(3)
                .callTimeoutMillis(2_000), "CREATE TABLE t(v)")) {
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Integer> first = ds.inTransactionAsync(holdingUnit("first", running, release));
            running.await(); // the next two wait behind it in the queue
            CompletableFuture<Long> cancelled = ds.executeAsync("INSERT INTO t VALUES ('cancelled')");
            CompletableFuture<Long> kept = ds.executeAsync("INSERT INTO t VALUES ('kept')");
            assertTrue(cancelled.cancel(false));
            release.countDown();
            assertEquals(1, first.get());
            assertEquals(1L, kept.get());
            // Its place was given back: three operations fit in the queue of three again, all at once.
            List<CompletableFuture<Long>> again = whileWriterHeld(ds, "blocker", () -> {
                List<CompletableFuture<Long>> queued = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    queued.add(ds.executeAsync("INSERT INTO t VALUES ('again')"));
                }
                return queued;
            });
            for (CompletableFuture<Long> f : again) {
                assertEquals(1L, f.get());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(List.of("first", "kept", "blocker", "again", "again", "again"),
                    Databases.column(c, "SELECT v FROM t ORDER BY rowid"));
        }
    }

    /**
     * A thread with a write transaction open that waits for asynchronous work would wait for
     * itself: the work needs the writer it holds. The wait fails at once; the work runs once the
     * transaction ends. (gate_timeout is an hour here, so a wait would outlast the test.)
     */
    @Test
    void aThreadHoldingTheWriterThatWaitsForAsynchronousWorkIsToldInsteadOfWaiting() throws Exception {
        Path file = dir.resolve("holder-waits.db");
        try (SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder().path(file.toString())
                .gateTimeoutMillis(3_600_000).callTimeoutMillis(3_600_000), "CREATE TABLE t(v)")) {
            CompletableFuture<Long> queued = whileWriterHeld(ds, "transaction", () -> {
                CompletableFuture<Long> mine = ds.executeAsync("INSERT INTO t VALUES ('queued')");
                // Bounded first (a guard, not a measure): if this thread were let wait, the bound ends it.
                ExecutionException got = assertThrows(ExecutionException.class,
                        () -> mine.get(2, java.util.concurrent.TimeUnit.MINUTES));
                assertTrue(got.getCause() instanceof SQLException
                        && "40001".equals(((SQLException) got.getCause()).getSQLState())
                        && got.getCause().getMessage().contains("holds the writer"), String.valueOf(got.getCause()));
                java.util.concurrent.CompletionException joined = assertThrows(
                        java.util.concurrent.CompletionException.class, mine::join);
                assertTrue(joined.getCause().getMessage().contains("holds the writer"), joined.getCause().getMessage());
                return mine;
            });
            assertEquals(1L, queued.get(), "it ran once the transaction ended");
        }
        assertEquals(2, rowsByPlainSqlite(file));
    }

    /** In memory there is one connection, the writer: asynchronous work shares it like everything else. */
    @Test
    void anInMemoryDatabaseWritesAsynchronouslyAndOpenRowsThereHoldTheWriter() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(":memory:").gateTimeoutMillis(3_600_000)
                .callTimeoutMillis(3_600_000).dataSource()) {
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "CREATE TABLE t(v)");
            }
            List<CompletableFuture<Long>> inserts = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                inserts.add(ds.executeAsync("INSERT INTO t VALUES (?)", i));
            }
            for (CompletableFuture<Long> f : inserts) {
                assertEquals(1L, f.get());
            }
            CompletableFuture<Long> queued;
            try (Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rows = st.executeQuery("SELECT v FROM t")) {
                rows.next(); // open rows on the one connection hold it
                queued = ds.executeAsync("INSERT INTO t VALUES (-1)");
                CompletableFuture<Long> mine = queued;
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> mine.get(2, java.util.concurrent.TimeUnit.MINUTES));
                assertTrue(refused.getCause().getMessage().contains("rows still open"), refused.getCause().getMessage());
            }
            assertEquals(1L, queued.get(), "it ran once the rows were closed");
            try (Connection c = ds.getConnection()) {
                assertEquals(501, Databases.longValue(c, "SELECT count(*) FROM t"));
            }
        }
    }

    /** A unit that closes its own data source must not wait for itself (close_timeout here: an hour). */
    @Test
    void aUnitThatClosesItsOwnDataSourceDoesNotWaitForItself() throws Exception {
        Path file = dir.resolve("self-close.db");
        SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder().path(file.toString())
                .closeTimeoutMillis(3_600_000), "CREATE TABLE t(v)");
        java.util.concurrent.CountDownLatch queued = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Integer> closing = ds.inTransactionAsync(c -> {
            Databases.exec(c, "INSERT INTO t VALUES ('closing')");
            try {
                queued.await(); // the operation behind it is queued before it closes
            } catch (InterruptedException e) {
                throw new SQLException(e);
            }
            ds.close();
            return 1;
        });
        CompletableFuture<Long> behind = ds.executeAsync("INSERT INTO t VALUES ('behind')");
        queued.countDown();
        Await.until("the closing unit finished", closing::isDone);
        // Behind it in the queue it did not run; in its batch it found the database closed. Either way it failed.
        ExecutionException notRun = assertThrows(ExecutionException.class, behind::get);
        assertTrue(notRun.getCause().getMessage().matches(".*(did not run|is closed).*"), notRun.getCause().getMessage());
        boolean committed = !closing.isCompletedExceptionally();
        assertEquals(committed ? 1 : 0, rowsByPlainSqlite(file), "only the closing unit's row, when its future says so");
    }

    @Test
    void anotherProcessesLockIsWaitedOutAndEveryOperationStillCommits() throws Exception {
        Path file = dir.resolve("locked.db");
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        SafeSqliteListener retries = new SafeSqliteListener() {
            @Override
            public void busy(String database, boolean retrying) {
                busy.countDown();
            }
        };
        try (SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder().path(file.toString()).busyTimeoutMillis(20)
                .listener(retries), "CREATE TABLE t(v)")) {
            List<CompletableFuture<?>> all = new ArrayList<>();
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                Databases.exec(other, "BEGIN IMMEDIATE"); // a lock the engine cannot see: as another process's
                for (int i = 0; i < 10; i++) {
                    all.add(ds.executeAsync("INSERT INTO t VALUES (?)", i));
                    all.add(ds.inTransactionAsync(c -> {
                        Databases.exec(c, "INSERT INTO t VALUES ('unit')");
                        return 1;
                    }));
                }
                busy.await();
                Databases.exec(other, "COMMIT");
            }
            for (CompletableFuture<?> f : all) {
                f.get();
            }
        }
        assertEquals(20, rowsByPlainSqlite(file));
    }

    /**
     * A unit's callback that restores an interrupt runs on the asynchronous writer's thread, where
     * nobody waits for it: the interrupt must not stay there, or every later wait for the writer
     * would end at once as interrupted.
     */
    @Test
    void anInterruptAUnitRaisesDoesNotStayWithTheWriterThread() throws Exception {
        Path file = dir.resolve("interrupt.db");
        try (SafeSqliteDataSource ds = tableT(file)) {
            assertEquals(1, ds.inTransactionAsync(c -> {
                Databases.exec(c, "INSERT INTO t VALUES ('interrupted')");
                Thread.currentThread().interrupt();
                return 1;
            }).get());
            CompletableFuture<Long> later = whileWriterHeld(ds, "blocker", () -> { // it waits for the writer
                CompletableFuture<Long> waiting = ds.executeAsync("INSERT INTO t VALUES ('later')");
                Await.until("the asynchronous writer waits for the writer (or gave up)",
                        () -> health(ds).writersQueued() > 0 || waiting.isDone());
                return waiting;
            });
            assertEquals(1L, later.get(), "it waited for the writer instead of taking itself for interrupted");
        }
        assertEquals(3, rowsByPlainSqlite(file));
    }

    /**
     * A database-per-tenant application that writes asynchronously to each database now and then
     * must not keep a thread per database: an idle writer's thread ends, and the next operation
     * starts another.
     */
    @Test
    void aThousandDatabasesThatWroteAsynchronouslyKeepNoThreadOnceIdle() throws Exception {
        String before = System.getProperty("safesqlite.async.idleMillis");
        System.setProperty("safesqlite.async.idleMillis", "200");
        List<SafeSqliteDataSource> tenants = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                SafeSqliteDataSource ds = withTable(SafeSqliteDataSource.builder()
                        .path(dir.resolve("tenant-" + i + ".db").toString()), "CREATE TABLE t(v)");
                tenants.add(ds);
                assertEquals(1L, ds.executeAsync("INSERT INTO t VALUES (1)").get());
            }
            Await.until("every idle writer thread ended", () -> tenantWriterThreads() == 0);
            for (SafeSqliteDataSource ds : tenants) {
                assertEquals(1L, ds.executeAsync("INSERT INTO t VALUES (2)").get(), "a new writer thread ran it");
            }
            Await.until("every idle writer thread ended again", () -> tenantWriterThreads() == 0);
        } finally {
            for (SafeSqliteDataSource ds : tenants) {
                ds.close();
            }
            if (before == null) {
                System.clearProperty("safesqlite.async.idleMillis");
            } else {
                System.setProperty("safesqlite.async.idleMillis", before);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tenant-999.db"))) {
            assertEquals(2, Databases.longValue(c, "SELECT count(*) FROM t"));
        }
    }

    private static long tenantWriterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("safesqlite-async-tenant-")).count();
    }

    /** Two data sources on one file share its engine and its writer; each has its own asynchronous writer. */
    @Test
    void twoDataSourcesOnOneFileWriteAsynchronouslyAtTheSameTime() throws Exception {
        Path file = dir.resolve("shared.db");
        try (SafeSqliteDataSource a = tableT(file);
             SafeSqliteDataSource b = SafeSqliteDataSource.builder().path(file.toString()).dataSource()) {
            List<CompletableFuture<Long>> all = java.util.Collections.synchronizedList(new ArrayList<>());
            io.github.safesqlite.testing.TestThreads threads = new io.github.safesqlite.testing.TestThreads();
            for (SafeSqliteDataSource ds : List.of(a, b)) {
                threads.start("submitter", () -> {
                    for (int i = 0; i < 2000; i++) {
                        all.add(ds.executeAsync("INSERT INTO t VALUES (?)", i));
                    }
                });
            }
            threads.joinAll();
            for (CompletableFuture<Long> f : all) {
                assertEquals(1L, f.get());
            }
        }
        assertEquals(4000, rowsByPlainSqlite(file));
    }

    private static SafeSqliteHealth health(SafeSqliteDataSource ds) {
        try {
            return ds.health();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
