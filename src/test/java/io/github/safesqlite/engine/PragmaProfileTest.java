package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConnection;

/** The PRAGMA profile: applied and read back on every physical connection, validated, and guarded. */
class PragmaProfileTest {

    @TempDir
    Path dir;

    private static String pragma(Connection raw, String name) throws SQLException {
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1).toLowerCase();
        }
    }

    @Test
    void writerAndReadersCarryTheConfiguredProfile() throws Exception {
        SafeSqliteConfig config = SafeSqliteConfig.builder().path(dir.resolve("p.db").toString())
                .synchronous(SafeSqliteConfig.Synchronous.FULL).busyTimeoutMillis(1234).cacheSize(-4000)
                .mmapSize(1 << 20).journalSizeLimit(1 << 20).foreignKeys(false).build();
        Engine engine = EngineRegistry.acquire(config);
        try {
            Lease writer = engine.writer("test");
            Lease reader = engine.reader("test");
            try {
                Map<String, String> expected = Map.of("journal_mode", "wal", "synchronous", "2",
                        "cache_size", "-4000", "mmap_size", "1048576", "journal_size_limit", "1048576", "foreign_keys", "0",
                        "temp_store", "2", "locking_mode", "normal", "wal_autocheckpoint", "0");
                for (Map.Entry<String, String> e : expected.entrySet()) {
                    assertEquals(e.getValue(), pragma(writer.physical().raw(), e.getKey()), "writer " + e.getKey());
                    assertEquals(e.getValue(), pragma(reader.physical().raw(), e.getKey()), "reader " + e.getKey());
                }
                assertEquals("1234", pragma(reader.physical().raw(), "busy_timeout"));
                // On the writer the same 1234 ms are waited by a short-sleep busy handler, which SQLite reports as 0.
                assertEquals("0", pragma(writer.physical().raw(), "busy_timeout"));
                assertEquals("0", pragma(writer.physical().raw(), "query_only"));
                assertEquals("1", pragma(reader.physical().raw(), "query_only"));
            } finally {
                reader.release();
                writer.release();
            }
        } finally {
            EngineRegistry.release(engine);
        }
    }

    @Test
    void aDatabaseThatAnswersAnotherJournalModeFailsClearly() throws Exception {
        // An in-memory connection stands in for a file system without shared memory: it answers "memory".
        PragmaProfile profile = new PragmaProfile(SafeSqliteConfig.builder().path(dir.resolve("f.db").toString()).build());
        try (SQLiteConnection raw = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite::memory:")) {
            SQLException e = assertThrows(SQLException.class, () -> profile.apply(raw, PhysicalConnection.Role.WRITER));
            assertTrue(e.getMessage().contains("could not be switched to journal_mode=WAL"), e.getMessage());
            assertTrue(e.getMessage().contains("'memory'"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PRAGMA journal_mode = DELETE", "PRAGMA main.journal_mode=MEMORY", "PRAGMA query_only = 0",
            "PRAGMA query_only(1)", "PRAGMA synchronous = OFF", "PRAGMA foreign_keys = OFF", "PRAGMA busy_timeout = 1",
            "PRAGMA locking_mode = EXCLUSIVE", "PRAGMA temp_store = FILE", "PRAGMA cache_size = 10"})
    void applicationSqlCannotChangeAnEnforcedPragma(String sql) throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("g.db").toString()).dataSource();
             Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute(sql));
            String name = sql.replaceAll("(?i)PRAGMA (main\\.)?([a-z_]+).*", "$2");
            assertTrue(e.getMessage().contains("PRAGMA " + name + " is enforced by safesqlite"), e.getMessage());
            assertEquals("wal", pragmaThrough(c, "journal_mode"), "nothing changed");
        }
    }

    @Test
    void settingAnEnforcedPragmaToItsEnforcedValueIsAccepted() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("h.db").toString()).dataSource();
             Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String sql : List.of("PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
                    "PRAGMA synchronous = 1", "PRAGMA busy_timeout = 5000", "PRAGMA temp_store = MEMORY")) {
                st.execute(sql);
            }
            assertEquals("1", pragmaThrough(c, "synchronous"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"synchronous=OFF", "synchronous=1; DROP TABLE t", "busy_timeout=-1", "busy_timeout=5s",
            "cache_size=1; DROP TABLE t", "mmap_size=-5", "foreign_keys=maybe", "journal_mode=DELETE", "readers=0",
            "journal_size_limit=-2", "statement_cache_size=100000"})
    void valuesAreValidatedBeforeTheyReachSql(String setting) {
        int eq = setting.indexOf('=');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeSqliteConfig.builder().set(setting.substring(0, eq), setting.substring(eq + 1)));
        assertTrue(e.getMessage().contains(setting.substring(0, eq)), e.getMessage());
    }

    private static String pragmaThrough(Connection logical, String name) throws SQLException {
        try (Statement st = logical.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1).toLowerCase();
        }
    }
}
