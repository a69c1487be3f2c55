package io.github.safesqlite.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checkpoint_mode=EXTERNAL} beside a separate process that treats the WAL as Litestream does
 * ({@link ExternalCheckpointerProcess}): 8 threads write far more than the WAL may hold, with no
 * error; safesqlite runs no checkpoint of its own; the WAL is cut back by the other process's
 * checkpoints alone, and ends under its limit; every acknowledged row is in the database and the
 * file is intact.
 */
class ExternalCheckpointerTest {

    @TempDir
    Path dir;

    @Test
    void anotherProcessOwnsTheCheckpointsAndNothingIsLost() throws Exception {
        Path db = dir.resolve("replicated.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("CREATE TABLE event(thread INTEGER, seq INTEGER, payload BLOB, PRIMARY KEY (thread, seq))");
        }
        long limit = 2L << 20;
        Processes.Writer litestream = Processes.startExternalCheckpointer(db, dir.resolve("replica.wal"), limit);
        AtomicInteger ownCheckpoints = new AtomicInteger();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(db.toString())
                .checkpointMode(SafeSqliteConfig.CheckpointMode.EXTERNAL)
                .listener(new SafeSqliteListener() {
                    @Override
                    public void checkpointed(String database, String mode, boolean complete) {
                        ownCheckpoints.incrementAndGet();
                    }
                }).dataSource()) {
            Await.until("the external checkpointer holds its read transaction", () -> litestream.ready
                    || !litestream.process.isAlive());
            int threads = 8;
            int each = 1_000;
            // Writes go on past `each` rows until the other process has truncated the WAL at least once
            // while they run: on a busy machine its JVM may get its first turn late (a bound, not a sleep).
            int most = 20 * each;
            byte[] payload = new byte[4096];
            AtomicLong largestWal = new AtomicLong();
            AtomicLong rows = new AtomicLong();
            AtomicLong smallestAfterPeak = new AtomicLong(Long.MAX_VALUE);
            AtomicLong truncatedAt = new AtomicLong(-1); // rows written when a writer first saw a TRUNCATE reported
            java.util.function.BooleanSupplier truncated =
                    () -> litestream.checkpoints.stream().anyMatch(c -> c.startsWith("TRUNCATE"));
            TestThreads writers = new TestThreads();
            for (int t = 0; t < threads; t++) {
                int me = t;
                writers.start("writer-" + t, () -> {
                    for (int i = 0; i < most && (i < each || !longAfter(rows, truncatedAt, threads)); i++) {
                        if (truncatedAt.get() < 0 && truncated.getAsBoolean()) {
                            truncatedAt.compareAndSet(-1, rows.get());
                        }
                        try (Connection c = ds.getConnection();
                             PreparedStatement ps = c.prepareStatement("INSERT INTO event VALUES (?, ?, ?)")) {
                            ps.setInt(1, me);
                            ps.setInt(2, i);
                            ps.setBytes(3, payload);
                            ps.executeUpdate();
                        }
                        rows.incrementAndGet();
                        long wal = Databases.walBytes(db);
                        long peak = largestWal.accumulateAndGet(wal, Math::max);
                        if (wal < peak) {
                            smallestAfterPeak.accumulateAndGet(wal, Math::min);
                        }
                    }
                });
            }
            writers.joinAll(); // any SQLException from a writer fails here: none may surface
            long written = rows.get() * payload.length;
            assertEquals(0, ownCheckpoints.get(), "safesqlite ran no checkpoint of its own");
            assertTrue(truncated.getAsBoolean(), "the other process truncated the WAL while the writes went on: "
                    + litestream.checkpoints);
            // safesqlite ran no checkpoint, so only the other process can have made the file smaller
            assertTrue(smallestAfterPeak.get() < largestWal.get(), "the writers saw the WAL cut back: at most "
                    + largestWal.get() + " bytes, later " + smallestAfterPeak.get() + ", for " + written + " written");
            // Its next TRUNCATE brings the WAL under its limit: the other process bounds it, not safesqlite.
            Await.until("the other process truncates the WAL under its limit", () -> Databases.walBytes(db) <= limit);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM event")) {
                    rs.next();
                    assertEquals(rows.get(), rs.getLong(1), "every acknowledged row");
                }
            }
        } finally {
            litestream.process.destroyForcibly();
            litestream.await(30_000);
        }
        assertTrue(litestream.errors.isEmpty(), "the other process met no error: " + litestream.errors);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
    }

    /** Whether fifty rows per writer have been written since a writer first saw a TRUNCATE reported. */
    private static boolean longAfter(AtomicLong rows, AtomicLong truncatedAt, int threads) {
        long at = truncatedAt.get();
        return at >= 0 && rows.get() >= at + 50L * threads;
    }
}
