package io.github.safesqlite.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.testing.UrlSwap;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other ways sqlite-jdbc names a database (issue 13, item 1): {@code file:} URIs with SQLite's
 * URI parameters and sqlite-jdbc's own, and {@code :resource:} names of class path resources, in a
 * directory or inside a jar. Compared with plain sqlite-jdbc.
 */
class DatabaseLocationParityTest {

    @TempDir
    Path dir;

    private static List<String> writeAndRead(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE IF NOT EXISTS t(x)");
            st.executeUpdate("INSERT INTO t VALUES (1)");
        }
        return List.of("rows " + Databases.longValue(c, "SELECT count(*) FROM t"),
                "date stored as " + dateType(c));
    }

    private static String dateType(Connection c) throws SQLException {
        try (var ps = c.prepareStatement("SELECT typeof(?)")) {
            ps.setDate(1, new java.sql.Date(0));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void fileUrisWithSqliteAndSqliteJdbcParametersOpenTheSameFile() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("with space"));
        String query = "?mode=rwc&cache=private&date_class=TEXT";
        List<String> plain = UrlSwap.observe("jdbc:sqlite:" + sub.resolve("plain.db").toUri() + query, null,
                DatabaseLocationParityTest::writeAndRead);
        String ourUri = sub.resolve("ours.db").toUri().toString();
        assertTrue(ourUri.contains("%20"), "percent-encoded: " + ourUri);
        assertEquals(plain, UrlSwap.observe("jdbc:safesqlite:" + ourUri + query, null,
                DatabaseLocationParityTest::writeAndRead));
        assertEquals(List.of("rows 1", "date stored as text"), plain);
        assertTrue(Files.exists(sub.resolve("ours.db")), "the URI's file, decoded");
        // file:/path (no authority) names the same file, so the second opening sees the first one's row:
        assertEquals("rows 2", UrlSwap.observe("jdbc:safesqlite:file:" + sub.resolve("ours.db") + "?date_class=TEXT", null,
                DatabaseLocationParityTest::writeAndRead).get(0));
    }

    @Test
    void modeRwOpensOnlyAnExistingFileAsInSqlite() throws Exception {
        String missing = "file:" + dir.resolve("missing.db") + "?mode=rw";
        assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:sqlite:" + missing).close());
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:safesqlite:" + missing));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("missing.db")), "nothing was created");
    }

    @Test
    void aResourceInADirectoryOrAJarOpensAsInSqliteJdbc() throws Exception {
        Path shipped = dir.resolve("shipped.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + shipped); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t(x)");
            st.executeUpdate("INSERT INTO t VALUES (1), (2)");
        }
        Path classes = Files.createDirectory(dir.resolve("classes"));
        Files.copy(shipped, classes.resolve("plain.db"));
        Files.copy(shipped, classes.resolve("ours.db"));
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("data/shipped.db"));
            out.write(Files.readAllBytes(shipped));
        }
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), jar.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(loader);
            // in a directory: opened where it is, so both see their own file grow
            List<String> plain = UrlSwap.observe("jdbc:sqlite::resource:plain.db", null, DatabaseLocationParityTest::writeAndRead);
            assertEquals(plain, UrlSwap.observe("jdbc:safesqlite::resource:ours.db", null,
                    DatabaseLocationParityTest::writeAndRead));
            assertEquals("rows 3", plain.get(0));
            // in a jar: a copy outside it is the database
            plain = UrlSwap.observe("jdbc:sqlite::resource:data/shipped.db", null, c -> List.of(
                    "rows " + Databases.longValue(c, "SELECT count(*) FROM t")));
            assertEquals(plain, UrlSwap.observe("jdbc:safesqlite::resource:data/shipped.db", null, c -> List.of(
                    "rows " + Databases.longValue(c, "SELECT count(*) FROM t"))));
            assertEquals(List.of("rows 2"), plain);
            // a resource given as a URL, as sqlite-jdbc also accepts
            String jarUrl = "jar:" + jar.toUri() + "!/data/shipped.db";
            plain = UrlSwap.observe("jdbc:sqlite::resource:" + jarUrl, null, c -> List.of(
                    "rows " + Databases.longValue(c, "SELECT count(*) FROM t")));
            assertEquals(plain, UrlSwap.observe("jdbc:safesqlite::resource:" + jarUrl, null, c -> List.of(
                    "rows " + Databases.longValue(c, "SELECT count(*) FROM t"))));
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }
}
