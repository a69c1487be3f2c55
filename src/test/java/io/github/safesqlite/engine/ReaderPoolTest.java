package io.github.safesqlite.engine;

import com.codahale.metrics.SharedMetricRegistries;
import io.github.safesqlite.testing.Await;

import static io.github.safesqlite.Databases.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader pool lends without a lock and sleeps only when every reader is out. Many more threads
 * than readers, each keeping its rows open for a moment, must all be served: a return that a
 * sleeping borrower missed would surface as a reader_timeout error.
 */
class ReaderPoolTest {

    @TempDir
    Path dir;

    @Test
    void aReadWaitingForAReaderFailsClearlyWhenTheDataSourceCloses() throws Exception {
        SafeSqliteDataSource ds = Databases.dataSource(dir, "pool-closing.db", "readers=1", "reader_timeout=60000",
                "close_timeout=500", "metrics_registry=reader-pool-test");
        var registry = SharedMetricRegistries.getOrCreate("reader-pool-test");
        try (Connection holder = ds.getConnection(); Connection waiter = ds.getConnection()) {
            exec(holder, "CREATE TABLE n(x)");
            exec(holder, "INSERT INTO n VALUES (1), (2)");
            Statement st = holder.createStatement();
            ResultSet open = st.executeQuery("SELECT x FROM n");
            open.next(); // holds the only reader
            CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return Databases.longValue(waiter, "SELECT count(*) FROM n");
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            Await.until("the read waits for the reader",
                    () -> registry.getGauges().get("safesqlite.pool-closing.readers.waiting").getValue().equals(1));
            assertFalse(read.isDone(), "the read waits for the reader");
            ds.close();
            // Well before reader_timeout (60 s): the close wakes the waiting read.
            ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof SQLException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("closed while this read waited"), e.getCause().getMessage());
        }
    }

    @Test
    void manyThreadsShareTwoReadersWithoutLosingAWakeUp() throws Exception {
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "pool.db", "readers=2", "reader_timeout=20000")) {
            try (Connection c = ds.getConnection()) {
                exec(c, "CREATE TABLE n(x INTEGER PRIMARY KEY)");
                exec(c, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50) INSERT INTO n SELECT i FROM s");
            }
            int threads = 12;
            int readsEach = 300;
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicLong rowsSeen = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread w = new Thread(() -> {
                    try (Connection c = ds.getConnection();
                         PreparedStatement ps = c.prepareStatement("SELECT x FROM n WHERE x <= ?")) {
                        start.await();
                        for (int i = 0; i < readsEach; i++) {
                            int upTo = 1 + ThreadLocalRandom.current().nextInt(50);
                            ps.setInt(1, upTo);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next(); // the reader stays lent while these rows are open
                                if (i % 7 == 0) {
                                    Thread.yield();
                                }
                                int n = 1;
                                while (rs.next()) {
                                    n++;
                                }
                                assertEquals(upTo, n);
                                rowsSeen.addAndGet(n);
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            start.countDown();
            for (Thread w : workers) {
                w.join(60_000);
                assertTrue(!w.isAlive(), "a reader thread is stuck");
            }
            assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
            assertTrue(rowsSeen.get() >= threads * readsEach, "every read returned its rows");
            assertEquals(0, ds.health().readersInUse(), "every reader came back");
            assertTrue(ds.health().readersIdle() <= 2, "never more than the 2 readers allowed");
        }
    }
}
