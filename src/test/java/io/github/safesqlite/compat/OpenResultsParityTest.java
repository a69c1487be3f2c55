package io.github.safesqlite.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.TestThreads;
import io.github.safesqlite.testing.UrlSwap;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several ResultSets open on one connection, writes while they are open, and connections closed
 * from another thread (issue 13, item 10): a program sees what it sees on sqlite-jdbc.
 */
class OpenResultsParityTest {

    @TempDir
    Path dir;

    /** N+1 reads with a write per row, twenty cursors open at once, then a close under open cursors. */
    private static List<String> manyOpenCursors(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT)");
            st.executeUpdate("CREATE TABLE child(parent INTEGER, n INTEGER)");
            st.executeUpdate("CREATE TABLE audit(parent INTEGER)");
            for (int i = 1; i <= 5; i++) {
                st.executeUpdate("INSERT INTO parent(name) VALUES ('p" + i + "')");
                st.executeUpdate("INSERT INTO child VALUES (" + i + ", " + i * 10 + "), (" + i + ", " + (i * 10 + 1) + ")");
            }
        }
        try (Statement outer = c.createStatement();
             ResultSet parents = outer.executeQuery("SELECT id, name FROM parent ORDER BY id");
             PreparedStatement children = c.prepareStatement("SELECT sum(n) FROM child WHERE parent = ?");
             PreparedStatement audit = c.prepareStatement("INSERT INTO audit VALUES (?)")) {
            while (parents.next()) {
                children.setInt(1, parents.getInt(1));
                try (ResultSet sum = children.executeQuery()) {
                    sum.next();
                    seen.add(parents.getString(2) + " children " + sum.getLong(1));
                }
                audit.setInt(1, parents.getInt(1));
                audit.executeUpdate(); // a write while the outer cursor is open
            }
        }
        List<Statement> statements = new ArrayList<>();
        List<ResultSet> open = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Statement st = c.createStatement();
            statements.add(st);
            open.add(st.executeQuery("SELECT n FROM child ORDER BY n LIMIT 3 OFFSET " + (i % 5)));
        }
        StringBuilder interleaved = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            for (ResultSet rs : open) {
                interleaved.append(rs.next() ? rs.getInt(1) : -1).append(' ');
            }
        }
        seen.add("twenty open cursors read in turn: " + interleaved.toString().trim());
        seen.add("audit rows " + Databases.longValue(c, "SELECT count(*) FROM audit"));
        open.get(0).close();
        seen.add("closing one leaves the others open: " + open.get(1).isClosed() + ", " + open.get(1).next());
        statements.get(2).close();
        seen.add("closing a statement closes its rows: " + open.get(2).isClosed());
        c.close();
        // (isClosed() of its statements and rows then differs: sqlite-jdbc answers false, safesqlite true, as
        // JDBC says; see the README's compatibility table.)
        try {
            open.get(4).next();
            seen.add("next() after the close answered");
        } catch (SQLException e) {
            seen.add("next() after the close fails with a SQLException");
        }
        return seen;
    }

    @Test
    void severalOpenResultSetsBehaveAsOnSqliteJdbc() throws Exception {
        List<String> seen = UrlSwap.assertSameAsPlain(dir, "open.db", "", null, OpenResultsParityTest::manyOpenCursors);
        assertEquals("p1 children 21", seen.get(0), seen.toString());
        UrlSwap.observe("jdbc:safesqlite:" + dir.resolve("closing.db"), null, c -> {
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT 1");
            c.close();
            assertTrue(st.isClosed() && rs.isClosed(), "closing a connection closes its statements and results (JDBC)");
            return List.of();
        });
    }

    @Test
    void closingAConnectionWhileOtherThreadsReadFromItEndsEveryReadCleanlyAndGivesEveryReaderBack()
            throws Exception {
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "close.db", "readers=2")) {
            try (Connection setup = ds.getConnection(); Statement st = setup.createStatement()) {
                st.executeUpdate("CREATE TABLE t(x)");
                st.executeUpdate("WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 2000) "
                        + "INSERT INTO t SELECT v FROM s");
            }
            Connection shared = ds.getConnection();
            int threads = 4;
            CountDownLatch reading = new CountDownLatch(threads);
            AtomicInteger ended = new AtomicInteger();
            TestThreads helpers = new TestThreads();
            for (int i = 0; i < threads; i++) {
                helpers.start("reader-" + i, () -> {
                    boolean counted = false;
                    try (Statement st = shared.createStatement(); ResultSet rs = st.executeQuery("SELECT x FROM t")) {
                        while (rs.next()) {
                            if (!counted) {
                                counted = true;
                                reading.countDown();
                            }
                        }
                    } catch (SQLException closedUnderneath) {
                        // the expected way to end: the connection was closed by another thread
                    } finally {
                        if (!counted) {
                            reading.countDown();
                        }
                        ended.incrementAndGet();
                    }
                });
            }
            reading.await();
            shared.close();
            helpers.joinAll(); // anything but a SQLException (or a normal end) fails here
            assertEquals(threads, ended.get());
            Await.until("every reader given back", () -> {
                try {
                    return ds.health().readersInUse() == 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection after = ds.getConnection()) {
                assertEquals(2000, Databases.longValue(after, "SELECT count(*) FROM t"), "the database is fine");
            }
            assertTrue(shared.isClosed());
        }
    }
}
