package io.github.safesqlite.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.testing.UrlSwap;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConfig;

/**
 * sqlite-jdbc's own settings after the URL swap (issue 13, item 2): the {@code SQLiteConfig
 * .toProperties()} idiom, its options in the URL, and options that change per-connection state,
 * compared with plain sqlite-jdbc. Conflicting options fail on safesqlite naming the conflict.
 */
class SqliteJdbcOptionsParityTest {

    @TempDir
    Path dir;

    /** A fixed instant with milliseconds, so that precision shows. */
    private static final long AT = 1_700_000_123_456L;

    /** Stores a timestamp and reads it back through a reader and through the writer. */
    private static List<String> datesRoundTrip(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE d(id INTEGER PRIMARY KEY, at)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO d(at) VALUES (?)")) {
            ps.setTimestamp(1, new Timestamp(AT));
            ps.executeUpdate();
            ps.setDate(1, new java.sql.Date(AT));
            ps.executeUpdate();
        }
        readDates(c, seen, "autocommit");
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE d SET id = id"); // the rest of the transaction runs on the writer
        }
        readDates(c, seen, "in a write transaction");
        c.commit();
        c.setAutoCommit(true);
        return seen;
    }

    private static void readDates(Connection c, List<String> seen, String where) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT typeof(at), at, at FROM d ORDER BY id")) {
            while (rs.next()) {
                seen.add(where + ": stored as " + rs.getString(1) + " " + rs.getString(2) + ", read as "
                        + rs.getTimestamp(3).getTime());
            }
        }
    }

    @Test
    void theToPropertiesIdiomWorksAndItsDateSettingsApply() throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setDateClass("TEXT");
        Properties properties = config.toProperties();
        assertTrue(properties.containsKey("open_mode") && properties.containsKey("shared_cache"),
                "the idiom carries sqlite-jdbc's defaults: " + properties);
        List<String> seen = UrlSwap.assertSameAsPlain(dir, "props.db", "", properties,
                SqliteJdbcOptionsParityTest::datesRoundTrip);
        assertTrue(seen.get(0).contains("stored as text"), "the option took effect: " + seen);
    }

    @Test
    void dateOptionsInTheUrlApplyToReadersAndTheWriter() throws Exception {
        List<String> seen = UrlSwap.assertSameAsPlain(dir, "url.db", "?date_class=REAL", null,
                SqliteJdbcOptionsParityTest::datesRoundTrip);
        assertTrue(seen.get(0).contains("stored as real"), seen.toString());
        seen = UrlSwap.assertSameAsPlain(dir, "secs.db", "?date_precision=SECONDS", null,
                SqliteJdbcOptionsParityTest::datesRoundTrip);
        assertTrue(seen.get(0).contains("read as " + (AT / 1000 * 1000)), "seconds, as asked: " + seen);
    }

    /** Per-connection state given as options: recursive triggers, case-sensitive LIKE, user_version at open. */
    private static List<String> connectionState(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE n(x)");
            st.executeUpdate("CREATE TRIGGER more AFTER INSERT ON n WHEN new.x < 5 BEGIN INSERT INTO n VALUES (new.x + 1); END");
            st.executeUpdate("INSERT INTO n VALUES (1)");
            seen.add("rows after a recursive trigger " + Databases.longValue(c, "SELECT count(*) FROM n"));
            seen.add("'a' LIKE 'A' " + Databases.longValue(c, "SELECT 'a' LIKE 'A'"));
            seen.add("recursive_triggers " + Databases.longValue(c, "PRAGMA recursive_triggers"));
            seen.add("user_version " + Databases.longValue(c, "PRAGMA user_version"));
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO n VALUES (3)");
            seen.add("in a write transaction: rows " + Databases.longValue(c, "SELECT count(*) FROM n") + ", 'a' LIKE 'A' "
                    + Databases.longValue(c, "SELECT 'a' LIKE 'A'"));
            c.rollback();
            c.setAutoCommit(true);
        }
        return seen;
    }


    @Test
    void perConnectionOptionsApplyToEveryPhysicalConnection() throws Exception {
        List<String> seen = UrlSwap.assertSameAsPlain(dir, "state.db",
                "?recursive_triggers=true&case_sensitive_like=true&user_version=7", null,
                SqliteJdbcOptionsParityTest::connectionState);
        assertEquals("rows after a recursive trigger 5", seen.get(0), "recursion took effect: " + seen);
        assertEquals("'a' LIKE 'A' 0", seen.get(1), seen.toString());
    }

    @Test
    void propertiesOverrideTheUrlAndARepeatedKeyTakesItsLastValueAsInSqliteJdbc() throws Exception {
        Properties properties = new SQLiteConfig().toProperties(); // carries busy_timeout=3000
        List<String> seen = UrlSwap.assertSameAsPlain(dir, "override.db",
                "?busy_timeout=10000&cache_size=-2000&cache_size=-4000", properties,
                c -> List.of("busy_timeout " + Databases.longValue(c, "PRAGMA busy_timeout"),
                        "cache_size " + Databases.longValue(c, "PRAGMA cache_size")));
        assertEquals(List.of("busy_timeout 3000", "cache_size -4000"), seen);
    }

    @Test
    void userAndPasswordInTheUrlAreAcceptedAsInSqliteJdbc() throws Exception {
        UrlSwap.assertSameAsPlain(dir, "user.db", "?user=app&password=secret", null,
                c -> List.of("valid " + c.isValid(1), "rows " + Databases.longValue(c, "SELECT 1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"journal_mode=DELETE", "synchronous=OFF", "shared_cache=true", "locking_mode=EXCLUSIVE",
            "open_mode=1", "wal_autocheckpoint=100", "temp_store=FILE"})
    void anOptionSqliteJdbcTakesButThatBreaksTheProfileFailsNamingIt(String option) throws Exception {
        String key = option.substring(0, option.indexOf('='));
        Path plainFile = dir.resolve("plain-" + key + ".db");
        // sqlite-jdbc itself takes it (open_mode=1 needs the file to exist first):
        DriverManager.getConnection("jdbc:sqlite:" + plainFile).close();
        DriverManager.getConnection("jdbc:sqlite:" + plainFile + "?" + option).close();
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:safesqlite:" + dir.resolve(key + ".db") + "?" + option));
        assertTrue(e.getMessage().contains(option) && e.getMessage().contains("conflicts")
                || e.getMessage().contains("always uses journal_mode=WAL"), e.getMessage());
    }

    /** getGeneratedKeys() after statements that did not ask for keys, and after ones that did. */
    private static List<String> keys(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE k(id INTEGER PRIMARY KEY, v UNIQUE)");
            st.executeUpdate("INSERT INTO k(v) VALUES ('a')");
            seen.add("statement, not asked: " + keysOf(st));
            st.executeUpdate("INSERT OR IGNORE INTO k(v) VALUES ('a')");
            seen.add("an ignored insert: " + keysOf(st));
            st.executeUpdate("UPDATE k SET v = v");
            seen.add("an update: " + keysOf(st));
            st.executeUpdate("INSERT INTO k(v) VALUES ('b')", Statement.RETURN_GENERATED_KEYS);
            seen.add("statement, asked: " + keysOf(st));
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO k(v) VALUES (?)")) {
            ps.setString(1, "c");
            ps.executeUpdate();
            seen.add("prepared, not asked: " + keysOf(ps));
        }
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("insert into k(v) values (?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "d");
            ps.execute();
            seen.add("prepared in a transaction, asked: " + keysOf(ps));
        }
        c.commit();
        c.setAutoCommit(true);
        return seen;
    }

    private static String keysOf(Statement st) throws SQLException {
        try (ResultSet rs = st.getGeneratedKeys()) {
            if (!rs.next()) {
                return "none";
            }
            return rs.getMetaData().getColumnCount() + " column " + rs.getMetaData().getColumnLabel(1) + " = "
                    + rs.getLong(1);
        }
    }

    @Test
    void generatedKeysAnswerAsInSqliteJdbcWhetherAskedForOrNot() throws Exception {
        List<String> seen = UrlSwap.assertSameAsPlain(dir, "keys.db", "", null, SqliteJdbcOptionsParityTest::keys);
        assertEquals("statement, not asked: 1 column last_insert_rowid() = 1", seen.get(0), seen.toString());
        UrlSwap.assertSameAsPlain(dir, "nokeys.db", "?jdbc.get_generated_keys=false", null,
                SqliteJdbcOptionsParityTest::keys);
    }

    @Test
    void theDriverDescribesEveryKeySqliteJdbcDescribesAndItsOwn() throws Exception {
        java.util.Set<String> plain = new java.util.TreeSet<>();
        for (java.sql.DriverPropertyInfo p : DriverManager.getDriver("jdbc:sqlite:").getPropertyInfo("jdbc:sqlite:", null)) {
            plain.add(p.name);
        }
        java.util.Map<String, String> ours = new java.util.TreeMap<>();
        String url = "jdbc:safesqlite:" + dir.resolve("info.db");
        for (java.sql.DriverPropertyInfo p : DriverManager.getDriver(url).getPropertyInfo(url, null)) {
            ours.put(p.name, p.description);
        }
        assertTrue(ours.keySet().containsAll(plain), "missing: " + plain.stream().filter(k -> !ours.containsKey(k)).toList());
        assertTrue(ours.get("readers").contains("read-only connections"), "safesqlite's own, described: " + ours.get("readers"));
    }
}
