package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workload phases on a real file: each tunes what it says on the writer and the readers while it
 * lasts, never durability, and its end restores the profile and runs its clean-up.
 */
class PhaseTest {

    @TempDir
    Path dir;

    /** A PRAGMA as the writer has it (read inside a write transaction, which runs on the writer). */
    private static String onWriter(SafeSqliteDataSource ds, String pragma) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            Databases.exec(c, "UPDATE t SET v = v WHERE 0"); // starts the write transaction on the writer
            String v = Databases.text(c, "PRAGMA " + pragma);
            c.rollback();
            return v;
        }
    }

    /** A PRAGMA as a reader has it (an autocommit read runs on a reader). */
    private static String onReader(SafeSqliteDataSource ds, String pragma) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Databases.text(c, "PRAGMA " + pragma);
        }
    }

    private SafeSqliteDataSource open(String name) throws SQLException {
        SafeSqliteDataSource ds = Databases.dataSource(dir, name);
        try (Connection c = ds.getConnection()) {
            Databases.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT)");
            Databases.exec(c, "CREATE INDEX t_k ON t(k)");
        }
        return ds;
    }

    @Test
    void aBulkLoadGrowsTheWritersCacheAndEndsWithAnEmptyWal() throws Exception {
        try (SafeSqliteDataSource ds = open("bulk.db")) {
            String profileCache = onWriter(ds, "cache_size");
            String synchronous = onWriter(ds, "synchronous");
            try (PhaseScope load = ds.phase(Phase.BULK_LOAD)) {
                assertEquals("-65536", onWriter(ds, "cache_size"), "at least 64 MiB while loading");
                assertEquals(synchronous, onWriter(ds, "synchronous"), "durability never changes");
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO t(k, v) VALUES (?, ?)")) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < 20_000; i++) {
                        ps.setInt(1, i % 100);
                        ps.setString(2, "row " + i);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                }
                assertTrue(Files.size(dir.resolve("bulk.db-wal")) > 0, "the load went to the WAL");
            }
            assertEquals(profileCache, onWriter(ds, "cache_size"), "the profile is back");
            assertEquals(0, Files.size(dir.resolve("bulk.db-wal")), "TRUNCATE checkpoint at the end of the load");
            try (Connection c = ds.getConnection()) {
                assertEquals(20_000, Databases.longValue(c, "SELECT count(*) FROM t"), "nothing lost");
            }
        }
    }

    @Test
    void aBulkLoadLetsMoreQueuedWritesShareACommit() throws Exception {
        java.util.List<Integer> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("groups.db").toString())
                .listener(new SafeSqliteListener() {
                    @Override
                    public void writesGrouped(String database, int statements) {
                        groups.add(statements);
                    }
                }).dataSource()) {
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT)");
            }
            assertEquals(java.util.List.of(64, 36), queueBehind(ds, 100), "64 per COMMIT at most, outside a load");
            groups.clear();
            try (PhaseScope load = ds.phase(Phase.BULK_LOAD)) {
                assertEquals(java.util.List.of(100), queueBehind(ds, 100), "all 100 in one COMMIT during a load");
            }
            assertEquals(java.util.List.of(100), groups);
        }
    }

    /** {@code n} autocommit inserts queued behind a held writer, then let go; returns the groups they formed. */
    private static java.util.List<Integer> queueBehind(SafeSqliteDataSource ds, int n) throws Exception {
        java.util.List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        SafeSqliteListener record = new SafeSqliteListener() {
            @Override
            public void writesGrouped(String database, int statements) {
                seen.add(statements);
            }
        };
        ds.addListener(record);
        io.github.safesqlite.testing.TestThreads threads = new io.github.safesqlite.testing.TestThreads();
        try (Connection blocker = ds.getConnection()) {
            blocker.setAutoCommit(false);
            Databases.exec(blocker, "INSERT INTO t(k) VALUES (-1)");
            for (int i = 0; i < n; i++) {
                int me = i;
                threads.start("insert-" + i, () -> {
                    try (Connection c = ds.getConnection()) {
                        Databases.exec(c, "INSERT INTO t(k) VALUES (" + me + ")");
                    }
                });
            }
            io.github.safesqlite.testing.Await.until(n + " writes queued", () -> {
                try {
                    return ds.health().writersQueued() == n;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            blocker.commit();
        }
        threads.joinAll();
        return seen;
    }

    @Test
    void reportingAnalyzesFirstAndMapsTheReadersUntilItEnds() throws Exception {
        try (SafeSqliteDataSource ds = open("report.db")) {
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                        + "INSERT INTO t(k, v) SELECT i % 7, 'x' FROM n");
            }
            String profileMmap = onReader(ds, "mmap_size");
            try (PhaseScope report = ds.phase(Phase.REPORTING)) {
                assertEquals(Phase.REPORTING, report.phase());
                assertEquals(Long.toString(256L << 20), onReader(ds, "mmap_size"), "readers map the file");
                try (Connection c = ds.getConnection()) {
                    assertTrue(Databases.longValue(c, "SELECT count(*) FROM sqlite_stat1") > 0, "ANALYZE ran first");
                }
            }
            assertEquals(profileMmap, onReader(ds, "mmap_size"), "readers are back to the profile");
        }
    }

    @Test
    void analysisGrowsTheReadersCachesOnlyWhileItLasts() throws Exception {
        try (SafeSqliteDataSource ds = open("analysis.db")) {
            String profileCache = onReader(ds, "cache_size");
            try (PhaseScope analysis = ds.phase(Phase.ANALYSIS)) {
                assertEquals("-32768", onReader(ds, "cache_size"));
            }
            assertEquals(profileCache, onReader(ds, "cache_size"));
        }
    }

    @Test
    void onePhaseAtATimeAndClosingTwiceIsHarmless() throws Exception {
        try (SafeSqliteDataSource ds = open("one.db")) {
            PhaseScope load = ds.phase(Phase.BULK_LOAD);
            SQLException second = assertThrows(SQLException.class, () -> ds.phase(Phase.REPORTING));
            assertTrue(second.getMessage().contains("BULK_LOAD phase is active"), second.getMessage());
            load.close();
            load.close();
            try (PhaseScope report = ds.phase(Phase.REPORTING)) {
                assertEquals(Phase.REPORTING, report.phase());
            }
        }
    }
}
