package io.github.safesqlite.engine;

import static io.github.safesqlite.Databases.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
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
