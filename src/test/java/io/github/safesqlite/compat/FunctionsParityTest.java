package io.github.safesqlite.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.testing.TestThreads;
import io.github.safesqlite.testing.UrlSwap;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * User-defined functions, collations and hooks (issue 13, item 8): registered once through a
 * {@code ConnectionInitializer}, they exist on every physical connection, so a program sees what
 * it sees on sqlite-jdbc after registering them on its one connection.
 */
class FunctionsParityTest {

    @TempDir
    Path dir;

    private static List<String> useThem(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE n(x INTEGER, name TEXT)");
            st.executeUpdate("INSERT INTO n VALUES (1, 'ant'), (2, 'bee'), (3, 'cat'), (4, 'dog')");
            seen.add("scalar " + Databases.column(c, "SELECT twice(21)"));
            seen.add("aggregate " + Databases.column(c, "SELECT sumsq(x) FROM n"));
            seen.add("window " + Databases.column(c, "SELECT moving(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM n"));
            seen.add("collation " + Databases.column(c, "SELECT name FROM n ORDER BY name COLLATE reverse"));
            try (PreparedStatement ps = c.prepareStatement("SELECT twice(?) AS doubled")) {
                seen.add("described before running: " + ps.getMetaData().getColumnLabel(1));
                ps.setInt(1, 5);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seen.add("prepared " + rs.getLong(1));
                }
            }
            c.setAutoCommit(false);
            st.executeUpdate("UPDATE n SET x = twice(x) WHERE x = 4");
            seen.add("in a write transaction " + Databases.column(c, "SELECT twice(x) FROM n ORDER BY name COLLATE reverse"));
            c.commit();
            c.setAutoCommit(true);
        }
        return seen;
    }


    @Test
    void functionsCollationsAndHooksWorkAsOnSqliteJdbcsOneConnection() throws Exception {
        UserFunctions plainRegistered = new UserFunctions();
        List<String> plain;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            plainRegistered.register(c.unwrap(SQLiteConnection.class), true);
            plain = useThem(c);
        }
        UserFunctions ours = new UserFunctions();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("ours.db").toString())
                .initializer((connection, path, writer) -> ours.register(connection, writer)).dataSource();
             Connection c = ds.getConnection()) {
            assertEquals(plain, useThem(c));
        }
        assertEquals(plainRegistered.updates, ours.updates, "the writer's update hook heard every change, once");
        assertEquals(5, ours.updates.size(), ours.updates.toString());
    }

    @Test
    void everyReaderHasThemIncludingOnesOpenedUnderLoad() throws Exception {
        int readers = 4;
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("load.db").toString())
                .readers(readers).initializer((connection, path, writer) -> new UserFunctions().register(connection, false))
                .dataSource()) {
            CyclicBarrier allHoldingAReader = new CyclicBarrier(readers);
            String[] answers = new String[readers];
            TestThreads threads = new TestThreads();
            for (int i = 0; i < readers; i++) {
                int n = i;
                threads.start("reader-" + i, () -> {
                    try (Connection c = ds.getConnection()) {
                        c.setAutoCommit(false);
                        c.setReadOnly(true);
                        answers[n] = Databases.text(c, "SELECT twice(" + n + ")");
                        allHoldingAReader.await(); // four read transactions at once: four distinct readers
                        c.commit();
                    }
                });
            }
            threads.joinAll();
            assertEquals(List.of("0", "2", "4", "6"), List.of(answers));
        }
    }

    @Test
    void aServiceLoadedInitializerReachesConnectionsOpenedByUrl() throws Exception {
        UrlSwap.observe("jdbc:safesqlite:" + dir.resolve("service-loaded.db"), null, c -> {
            assertEquals("HI!", Databases.text(c, "SELECT shout('hi')"), "on a reader");
            c.setAutoCommit(false);
            Databases.exec(c, "CREATE TABLE t(x)");
            assertEquals("HO!", Databases.text(c, "SELECT shout('ho')"), "on the writer");
            c.rollback();
            return List.of();
        });
    }

    @Test
    void anInitializerThatFailsFailsTheConnectionWithItsMessage() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("fails.db").toString())
                .initializer((connection, path, writer) -> {
                    throw new IllegalStateException("licence key missing");
                }).dataSource()) {
            SQLException e = assertThrows(SQLException.class, ds::getConnection);
            assertTrue(e.getMessage().contains("licence key missing") && e.getMessage().contains("initializer"),
                    e.getMessage());
        }
    }
}
