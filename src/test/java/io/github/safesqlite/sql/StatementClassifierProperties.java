package io.github.safesqlite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.EngineRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The classifier's verdict against SQLite's own: a statement run on a {@code query_only}
 * connection fails with SQLITE_READONLY exactly when it writes. Generated SQL mixes comments,
 * odd letter case, string literals full of keywords and semicolons, CTEs, RETURNING, PRAGMA
 * forms, EXPLAIN, triggers and multi-statement strings. (PRAGMA optimize and incremental_vacuum
 * are left out: whether they write depends on the database's state, and the policy sends them to
 * the writer, where either way is right.)
 */
class StatementClassifierProperties {

    private static Path dir;
    private static Connection queryOnly;
    private static Engine engine;

    @BeforeContainer
    static void openDatabase() throws Exception {
        dir = Files.createTempDirectory("classifier");
        String path = dir.resolve("c.db").toString();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + path); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)");
            st.executeUpdate("CREATE TABLE u(x, y)");
            st.executeUpdate("CREATE VIEW v AS SELECT a, b FROM t");
            st.executeUpdate("INSERT INTO t(b) VALUES ('one'), ('two')");
        }
        queryOnly = DriverManager.getConnection("jdbc:sqlite:" + path);
        try (Statement st = queryOnly.createStatement()) {
            st.execute("PRAGMA query_only = 1");
        }
        engine = EngineRegistry.acquire(SafeSqliteConfig.builder().path(dir.resolve("policy.db").toString()).build());
    }

    @AfterContainer
    static void close() throws Exception {
        queryOnly.close();
        EngineRegistry.release(engine);
    }

    /** SQLite's verdict: true when the SQL tried to write. Any other failure means the generator made bad SQL. */
    static boolean sqliteSaysWrites(String sql) throws SQLException {
        try (Statement st = queryOnly.createStatement()) {
            st.executeUpdate(sql); // sqlite3_exec: runs every statement of the string
            return false;
        } catch (SQLiteException e) {
            if (e.getResultCode() == SQLiteErrorCode.SQLITE_READONLY) {
                return true;
            }
            throw new AssertionError("generated SQL failed for another reason: " + sql, e);
        }
    }

    /** The routing verdict for a whole string: PRAGMAs go through the policy, like at run time. */
    static boolean routesToWriter(SqlScript script) throws SQLException {
        for (SqlStatement s : script.statements()) {
            StatementKind kind = s.kind() == StatementKind.PRAGMA ? engine.pragmaPolicy().route(s, false) : s.kind();
            if (kind == StatementKind.WRITE) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 400)
    void verdictMatchesSqlite(@ForAll("statements") String sql) throws SQLException {
        SqlScript script = StatementClassifier.parse(sql);
        assertEquals(sqliteSaysWrites(sql), routesToWriter(script), () -> "verdict for: " + sql + " -> " + script);
    }

    @Property(tries = 300)
    void multiStatementStringsSplitWhereSqliteDoes(@ForAll("scripts") List<String> parts) throws SQLException {
        // A line break before each semicolon: a part may end in a -- comment, which would swallow it.
        String sql = String.join("\n;", parts) + "\n;";
        SqlScript script = StatementClassifier.parse(sql);
        assertEquals(parts.size(), script.statements().size(), () -> "split of: " + sql);
        for (int i = 0; i < parts.size(); i++) {
            assertEquals(StatementClassifier.parse(parts.get(i)).first(), script.statements().get(i));
        }
        assertEquals(sqliteSaysWrites(sql), routesToWriter(script), () -> "verdict for: " + sql);
    }

    @Property(tries = 100)
    void transactionControlIsRecognised(@ForAll("transactionControl") String sql) {
        SqlStatement s = StatementClassifier.parse(sql).first();
        assertTrue(s.isTransactionControl(), () -> sql + " -> " + s);
    }

    @Provide
    Arbitrary<List<String>> scripts() {
        return statements().list().ofMinSize(2).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> transactionControl() {
        return decorate(Arbitraries.of("BEGIN", "BEGIN TRANSACTION", "BEGIN DEFERRED", "BEGIN IMMEDIATE TRANSACTION",
                "BEGIN EXCLUSIVE", "COMMIT", "END TRANSACTION", "COMMIT TRANSACTION", "ROLLBACK",
                "ROLLBACK TRANSACTION", "SAVEPOINT sp1", "SAVEPOINT \"odd name\"", "RELEASE sp1",
                "RELEASE SAVEPOINT sp1", "ROLLBACK TO sp1", "ROLLBACK TRANSACTION TO SAVEPOINT sp1"));
    }

    @Provide
    Arbitrary<String> statements() {
        Arbitrary<String> reads = Arbitraries.of(
                "SELECT a, b FROM t WHERE a > 0",
                "SELECT count(*) FROM u",
                "VALUES (1, 'x'), (2, 'y')",
                "SELECT * FROM v",
                "SELECT 'INSERT INTO t; DELETE FROM t' AS s",
                "SELECT \"b\" FROM t WHERE b = 'x;y' OR b = 'it''s'",
                "SELECT replace(b, 'o', '0') FROM t",
                "SELECT [a] FROM t /* DELETE FROM t; */",
                "WITH c(n) AS (SELECT 1) SELECT n FROM c",
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r",
                "WITH c AS MATERIALIZED (SELECT a FROM t), d AS (SELECT 2) SELECT * FROM c, d",
                "EXPLAIN SELECT * FROM t",
                "EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1",
                "PRAGMA user_version",
                "PRAGMA main.user_version",
                "PRAGMA table_info(t)",
                "PRAGMA table_info('u')",
                "PRAGMA integrity_check(1)",
                "PRAGMA journal_mode",
                "PRAGMA foreign_key_check",
                "PRAGMA wal_checkpoint(PASSIVE)");
        Arbitrary<String> writes = Arbitraries.of(
                "INSERT INTO u VALUES (1, 2)",
                "INSERT INTO u(x, y) SELECT a, b FROM t",
                "INSERT INTO t(b) VALUES ('r') RETURNING a",
                "REPLACE INTO t(a, b) VALUES (1, 'z')",
                "INSERT OR IGNORE INTO t(a, b) VALUES (1, 'q')",
                "UPDATE t SET b = 'SELECT' WHERE a = 1",
                "UPDATE u SET y = 0 WHERE 0 RETURNING x",
                "DELETE FROM u WHERE x IN (SELECT a FROM t)",
                "WITH c AS (SELECT 5 AS n) INSERT INTO u SELECT n, n FROM c",
                "WITH c(n) AS (SELECT 1) UPDATE u SET y = 1 WHERE x IN (SELECT n FROM c)",
                "WITH c AS (SELECT 1), d AS (SELECT 2) DELETE FROM u WHERE x = 3",
                "CREATE TABLE w(q)",
                "CREATE INDEX ix ON u(x)",
                "CREATE VIEW w2 AS SELECT 1",
                "DROP VIEW v",
                "ALTER TABLE u ADD COLUMN z",
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1, CASE WHEN 1 THEN 2 ELSE 3 END); "
                        + "DELETE FROM u WHERE 0; END",
                "PRAGMA user_version = 7",
                "PRAGMA application_id = 1",
                "ANALYZE");
        return decorate(Arbitraries.oneOf(reads, writes));
    }

    /** Random letter case, leading comments and surrounding white space: none of it changes the verdict. */
    private static Arbitrary<String> decorate(Arbitrary<String> base) {
        Arbitrary<String> prefix = Arbitraries.of("", "  ", "\n", "/* lead */ ", "-- note; INSERT\n", "/* a */ /* b */\t");
        Arbitrary<String> suffix = Arbitraries.of("", " ", " -- trailing", " /* trailing; DELETE */");
        Arbitrary<Boolean> upper = Arbitraries.of(true, false);
        return Combinators.combine(prefix, base, suffix, upper)
                .as((p, s, q, up) -> p + caseOutsideLiterals(s, up) + q);
    }

    /** Changes the case of keywords but not of quoted text, which SQLite compares exactly. */
    private static String caseOutsideLiterals(String sql, boolean upper) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (char c : sql.toCharArray()) {
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
            out.append(quote == 0 ? (upper ? Character.toUpperCase(c) : Character.toLowerCase(c)) : c);
        }
        return out.toString().replace("'X'", "'x'");
    }
}
