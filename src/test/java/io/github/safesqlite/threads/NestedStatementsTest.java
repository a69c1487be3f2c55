package io.github.safesqlite.threads;

import static io.github.safesqlite.Databases.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection never waits for itself: statements run while its own results are open share what they hold. */
class NestedStatementsTest {

    @TempDir
    Path dir;

    /** Updates each row while iterating the rows, on one connection; returns the table afterwards. */
    private static List<String> updateWhileIterating(Connection c) throws SQLException {
        exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        exec(c, "INSERT INTO t(v) VALUES (1), (2), (3)");
        try (Statement outer = c.createStatement(); ResultSet rs = outer.executeQuery("SELECT id, v FROM t ORDER BY id");
             PreparedStatement update = c.prepareStatement("UPDATE t SET v = ? WHERE id = ?")) {
            while (rs.next()) {
                update.setInt(1, rs.getInt(2) * 10);
                update.setInt(2, rs.getInt(1));
                update.executeUpdate();
            }
        }
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, v FROM t ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "=" + rs.getInt(2));
            }
        }
        return rows;
    }

    @Test
    void inMemoryAConnectionUpdatesRowsWhileIteratingThemLikeSqliteJdbc() throws Exception {
        List<String> expected;
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            expected = updateWhileIterating(plain);
        }
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(":memory:").dataSource();
             Connection c = ds.getConnection()) {
            assertEquals(expected, updateWhileIterating(c));
        }
    }

    @Test
    void theNPlusOnePatternCompletesWithMoreThreadsThanReaders() throws Exception {
        int threads = 8;
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "nplus1.db", "readers=2", "reader_timeout=60000")) {
            try (Connection c = ds.getConnection()) {
                exec(c, "CREATE TABLE parent(id INTEGER PRIMARY KEY)");
                exec(c, "CREATE TABLE child(parent INTEGER, n INTEGER)");
                exec(c, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 30) "
                        + "INSERT INTO parent SELECT i FROM s");
                exec(c, "INSERT INTO child SELECT id, id * 2 FROM parent");
            }
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            TestThreads workers = new TestThreads();
            for (int t = 0; t < threads; t++) {
                workers.start("n+1-" + t, () -> {
                    try (Connection c = ds.getConnection(); Statement outer = c.createStatement();
                         ResultSet parents = outer.executeQuery("SELECT id FROM parent ORDER BY id");
                         PreparedStatement inner = c.prepareStatement("SELECT n FROM child WHERE parent = ?")) {
                        while (parents.next()) {
                            inner.setInt(1, parents.getInt(1));
                            try (ResultSet kids = inner.executeQuery()) {
                                assertTrue(kids.next());
                                assertEquals(parents.getInt(1) * 2, kids.getInt(1));
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
            }
            workers.joinAll();
            assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
            assertEquals(0, ds.health().readersInUse(), "every reader came back");
        }
    }
}
