package io.github.safesqlite;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The URL swap and the DataSource bean: one engine per file, and clear errors for bad URLs and settings. */
class DriverAndDataSourceTest {

    @TempDir
    Path dir;

    private String url(String name) {
        return "jdbc:safesqlite:" + dir.resolve(name);
    }

    @Test
    void driverIsFoundByDriverManagerForSafesqliteUrlsOnly() throws Exception {
        assertTrue(DriverManager.getDriver(url("a.db")) instanceof SafeSqliteDriver);
        assertFalse(new SafeSqliteDriver().acceptsURL("jdbc:sqlite:a.db"));
        assertEquals(null, new SafeSqliteDriver().connect("jdbc:sqlite:a.db", new Properties()));
        try (Connection c = DriverManager.getConnection(url("a.db"))) {
            exec(c, "CREATE TABLE t(x)");
            exec(c, "INSERT INTO t VALUES (1)");
            assertEquals(1, longValue(c, "SELECT count(*) FROM t"));
            assertEquals("wal", Databases.text(c, "PRAGMA journal_mode"));
        }
    }

    @Test
    void everyConnectionToOneFileSharesOneWriterHoweverThePathIsSpelled() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        try (Connection a = DriverManager.getConnection(url("shared.db"));
             Connection b = DriverManager.getConnection("jdbc:safesqlite:" + dir.resolve("sub/../shared.db"));
             SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("./shared.db").toString()).dataSource();
             Connection c = ds.getConnection()) {
            exec(a, "CREATE TABLE t(x)");
            a.setAutoCommit(false);
            exec(a, "INSERT INTO t VALUES (1)");
            // The same thread asking through b or c would wait for itself: proof that all three share a's writer.
            for (Connection other : new Connection[] {b, c}) {
                SQLException e = assertThrows(SQLException.class, () -> exec(other, "INSERT INTO t VALUES (2)"));
                assertTrue(e.getMessage().startsWith("would deadlock"), e.getMessage());
            }
            a.commit();
            exec(b, "INSERT INTO t VALUES (2)");
            assertEquals(2, longValue(c, "SELECT count(*) FROM t"));
        }
    }

    @Test
    void theSameFileWithOtherSettingsIsRefusedNamingThem() throws Exception {
        try (Connection a = DriverManager.getConnection(url("conf.db") + "?readers=2")) {
            SQLException e = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url("conf.db") + "?readers=3&synchronous=FULL"));
            assertTrue(e.getMessage().contains("readers=2 (already open) vs readers=3 (requested)"), e.getMessage());
            assertTrue(e.getMessage().contains("synchronous=NORMAL (already open) vs synchronous=FULL"), e.getMessage());
            DriverManager.getConnection(url("conf.db") + "?readers=2").close();
            assertFalse(a.isClosed());
        }
    }

    @Test
    void unknownUrlParameterIsNamedAndNoStrayFileIsCreated() throws Exception {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url("u.db") + "?jounral_mode=WAL"));
        assertTrue(e.getMessage().contains("unknown setting 'jounral_mode'"), e.getMessage());
        assertTrue(e.getMessage().contains("busy_timeout"), "lists the known ones: " + e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "no file was created");
        }
    }

    @Test
    void badUrlsAndValuesFailWithTheirReason() {
        assertMessage(url("v.db") + "?busy_timeout=soon", "'soon' is not a whole number");
        assertMessage(url("v.db") + "?readers", "must be key=value");
        assertMessage("jdbc:safesqlite:" + dir.resolve("missing/dir/v.db"), "does not exist; create it first");
        assertMessage("jdbc:safesqlite:file:v.db?mode=ro", "URI parameter mode=ro conflicts");
    }

    private static void assertMessage(String url, String expected) {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url), url);
        assertTrue(e.getMessage().contains(expected), url + " -> " + e.getMessage());
    }

    @Test
    void propertiesAreSettingsAndCredentialsAreIgnored() throws Exception {
        Properties p = new Properties();
        p.setProperty("readers", "2");
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        try (Connection c = DriverManager.getConnection(url("props.db"), p)) {
            assertEquals(5000, longValue(c, "PRAGMA busy_timeout"));
        }
        p.setProperty("colour", "blue");
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url("props2.db"), p));
        assertTrue(e.getMessage().contains("'colour'"), e.getMessage());
    }

    @Test
    void inMemoryDatabasesBelongToTheirConnectionAndStillEnforceReadOnly() throws Exception {
        try (Connection a = DriverManager.getConnection("jdbc:safesqlite::memory:");
             Connection b = DriverManager.getConnection("jdbc:safesqlite::memory:")) {
            exec(a, "CREATE TABLE t(x)");
            exec(a, "INSERT INTO t VALUES (1)");
            assertThrows(SQLException.class, () -> longValue(b, "SELECT count(*) FROM t"), "b has its own database");
            a.setReadOnly(true);
            a.setAutoCommit(false);
            assertEquals(1, longValue(a, "SELECT count(*) FROM t"));
            SQLException e = assertThrows(SQLException.class, () -> exec(a, "INSERT INTO t VALUES (2)"));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            a.rollback();
            a.setAutoCommit(true);
            a.setReadOnly(false);
            exec(a, "INSERT INTO t VALUES (2)");
            assertEquals(2, longValue(a, "SELECT count(*) FROM t"));
        }
    }

    @Test
    void dataSourceAsABeanWithSettersThenFixed() throws Exception {
        SafeSqliteDataSource ds = new SafeSqliteDataSource();
        ds.setUrl(url("bean.db") + "?readers=2");
        ds.setBusyTimeout(2500);
        ds.setSynchronous("full");
        try (Connection c = ds.getConnection()) {
            assertEquals(2500, longValue(c, "PRAGMA busy_timeout"));
            assertEquals(2, longValue(c, "PRAGMA synchronous"));
        }
        assertThrows(IllegalStateException.class, () -> ds.setReaders(4), "settings are fixed after the first connection");
        assertThrows(IllegalArgumentException.class, () -> new SafeSqliteDataSource().setUrl("jdbc:sqlite:x.db"));
        ds.close();
        SQLException e = assertThrows(SQLException.class, ds::getConnection);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void aTransactionCutOffByClosingTheDataSourceIsRolledBackAndItsConnectionClosesQuietly() throws Exception {
        SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("cut.db").toString())
                .set("close_timeout", "100").dataSource();
        Connection c = ds.getConnection();
        exec(c, "CREATE TABLE t(x)");
        c.setAutoCommit(false);
        exec(c, "INSERT INTO t VALUES (1)");
        ds.close(); // gives up waiting for the open transaction after close_timeout
        c.close();
        try (Connection check = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cut.db"))) {
            assertEquals(0, longValue(check, "SELECT count(*) FROM t"), "the unfinished transaction was rolled back");
        }
    }

    @Test
    void connectionsOfAClosedDataSourceFailClearly() throws Exception {
        SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("closing.db").toString()).dataSource();
        Connection c = ds.getConnection();
        exec(c, "CREATE TABLE t(x)");
        ds.close();
        SQLException e = assertThrows(SQLException.class, () -> exec(c, "INSERT INTO t VALUES (1)"));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        c.close();
    }

    @Test
    void theBareUrlIsAPrivateTemporaryDatabasePerConnectionAsInSqliteJdbc() throws Exception {
        for (String url : List.of("jdbc:sqlite:", "jdbc:safesqlite:")) {
            try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url)) {
                exec(a, "CREATE TABLE t(x)");
                exec(a, "INSERT INTO t VALUES (1)");
                assertEquals(1, longValue(a, "SELECT count(*) FROM t"), url);
                SQLException e = assertThrows(SQLException.class, () -> longValue(b, "SELECT count(*) FROM t"), url);
                assertTrue(e.getMessage().contains("no such table"), url + ": each connection has its own: " + e.getMessage());
            }
        }
        // A data source given no path at all is still an error that says what to do.
        SQLException none = assertThrows(SQLException.class, () -> new SafeSqliteDataSource().getConnection());
        assertTrue(none.getMessage().contains("no database path given"), none.getMessage());
    }
}
