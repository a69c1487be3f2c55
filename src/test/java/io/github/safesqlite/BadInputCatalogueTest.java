package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input a user can give, each expecting its own message: URLs, driver
 * properties, builder values, and SQL that tries to escape what safesqlite enforces.
 */
class BadInputCatalogueTest {

    private static Path dir;
    private static SafeSqliteDataSource ds;

    @BeforeAll
    static void open() throws Exception {
        dir = Files.createTempDirectory("catalogue");
        ds = SafeSqliteDataSource.builder().path(dir.resolve("c.db").toString()).dataSource();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t(x)");
        }
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    static Stream<Arguments> cases() {
        String db = "jdbc:safesqlite:" + "%DIR%/bad.db";
        return Stream.of(
                Arguments.of("url", db + "?jounral_mode=WAL", "unknown setting 'jounral_mode': neither safesqlite nor sqlite-jdbc knows it"),
                Arguments.of("url", db + "?readers", "must be key=value"),
                Arguments.of("url", db + "?busy_timeout=-1", "bad value for setting 'busy_timeout': -1 is outside"),
                Arguments.of("url", db + "?synchronous=OFF", "synchronous=OFF conflicts with safesqlite's promise"),
                Arguments.of("url", db + "?synchronous=sometimes", "'sometimes' is not one of [NORMAL, FULL, EXTRA]"),
                Arguments.of("url", db + "?shared_cache=true", "sqlite-jdbc option shared_cache=true conflicts"),
                Arguments.of("url", db + "?open_mode=1", "safesqlite cannot open with READONLY"),
                Arguments.of("url", db + "?open_mode=4", "it lacks READWRITE"),
                Arguments.of("url", db + "?locking_mode=EXCLUSIVE", "locking_mode=EXCLUSIVE conflicts"),
                Arguments.of("url", db + "?wal_autocheckpoint=1000", "tune it with checkpoint_threshold"),
                Arguments.of("url", db + "?temp_store=FILE", "temp_store=FILE conflicts"),
                Arguments.of("property", "count_changes=true", "count_changes=true conflicts"),
                Arguments.of("url", db + "?journal_mode=DELETE", "always uses journal_mode=WAL"),
                Arguments.of("url", db + "?foreign_keys=perhaps", "'perhaps' is not a boolean"),
                Arguments.of("url", db + "?retry_base=100&retry_cap=10", "retry_base (100 ms) must not be larger than retry_cap"),
                Arguments.of("url", "jdbc:safesqlite:%DIR%/no/such/dir/bad.db", "does not exist; create it first"),
                Arguments.of("url", "jdbc:safesqlite:file:bad.db?mode=ro", "URI parameter mode=ro conflicts"),
                Arguments.of("url", "jdbc:safesqlite:file:bad.db?cache=shared", "URI parameter cache=shared conflicts"),
                Arguments.of("url", "jdbc:safesqlite:file:bad.db?nolock=1", "URI parameter nolock=1 conflicts"),
                Arguments.of("url", "jdbc:safesqlite:%DIR%/bad.db?mode=rwc", "unknown setting 'mode'"),
                Arguments.of("url", "jdbc:safesqlite::resource:no/such/resource.db", "does not exist"),
                Arguments.of("url", "jdbc:safesqlite:%DIR%", "is a directory, not a database file"),
                Arguments.of("property", "colour=blue", "unknown setting 'colour'"),
                Arguments.of("property", "readers=0", "bad value for setting 'readers': 0 is outside 1..256"),
                Arguments.of("property", "gate_timeout=soon", "'soon' is not a whole number"),
                Arguments.of("builder", "readers=-1", "bad value for setting 'readers'"),
                Arguments.of("builder", "cache_size=1; DROP TABLE t", "'1; DROP TABLE t' is not a whole number"),
                Arguments.of("builder", "statement_cache_size=999999", "outside 0..10000"),
                Arguments.of("builder", "nonsense=1", "unknown setting 'nonsense'"),
                Arguments.of("sql", "PRAGMA journal_mode = DELETE", "PRAGMA journal_mode is enforced by safesqlite"),
                Arguments.of("sql", "/* sneaky */ pragma MAIN.journal_mode='delete'", "PRAGMA journal_mode is enforced"),
                Arguments.of("sql", "PRAGMA query_only = 0", "PRAGMA query_only is enforced"),
                Arguments.of("sql", "PRAGMA synchronous = OFF", "PRAGMA synchronous is enforced"),
                Arguments.of("sql", "PRAGMA foreign_keys = 0", "PRAGMA foreign_keys is enforced"),
                Arguments.of("sql", "PRAGMA locking_mode = EXCLUSIVE", "PRAGMA locking_mode is enforced"),
                Arguments.of("sql", "SELECT 1; PRAGMA query_only = 0", "PRAGMA query_only is enforced"),
                Arguments.of("sql", "PRAGMA writable_schema = 1", "PRAGMA writable_schema changes the state of one physical connection"),
                Arguments.of("sql", "PRAGMA recursive_triggers(1)", "PRAGMA recursive_triggers changes the state"),
                Arguments.of("sql", "ATTACH DATABASE 'other.db' AS o", "ATTACH changes the state of one physical connection"),
                Arguments.of("sql", "CREATE TEMP TABLE scratch(x)", "Temporary objects live in a single physical connection"),
                Arguments.of("sql", "SELECT load_extension('evil')", "Load the extension on every physical connection instead"),
                Arguments.of("sql", "COMMIT", "cannot commit - no transaction is active"),
                Arguments.of("sql", "RELEASE nothing", "no such savepoint: nothing"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void eachBadInputFailsWithItsOwnMessage(String kind, String input, String expected) {
        String in = input.replace("%DIR%", dir.toString());
        Exception e = assertThrows(Exception.class, () -> {
            switch (kind) {
                case "url" -> DriverManager.getConnection(in).close();
                case "property" -> {
                    Properties p = new Properties();
                    p.setProperty(in.substring(0, in.indexOf('=')), in.substring(in.indexOf('=') + 1));
                    DriverManager.getConnection("jdbc:safesqlite:" + dir.resolve("prop.db"), p).close();
                }
                case "builder" -> SafeSqliteDataSource.builder().path(dir.resolve("b.db").toString())
                        .set(in.substring(0, in.indexOf('=')), in.substring(in.indexOf('=') + 1));
                default -> {
                    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                        st.execute(in);
                    }
                }
            }
        });
        if (kind.equals("builder")) {
            assertTrue(e instanceof IllegalArgumentException, "builder misuse is an IllegalArgumentException: " + e);
        } else {
            assertTrue(e instanceof SQLException, "a SQLException: " + e);
        }
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
