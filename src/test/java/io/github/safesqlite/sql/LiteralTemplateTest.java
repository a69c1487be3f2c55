package io.github.safesqlite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which literals a statement's template takes out, and the promise behind it: SQLite plans the
 * template with its values bound as it plans the statement as written, on plain sqlite-jdbc.
 */
class LiteralTemplateTest {

    @TempDir
    Path dir;

    private static String template(String sql) {
        SqlScript script = StatementClassifier.parse(sql);
        LiteralTemplate t = script.template(script.statements().get(0));
        return t == null ? null : t.sql();
    }

    @Test
    void takesOutWholeOperandsOfComparisonsAssignmentsAndValueLists() {
        assertEquals("SELECT balance FROM account WHERE id = ?", template("SELECT balance FROM account WHERE id = 42"));
        assertEquals("UPDATE account SET balance = balance - 5 WHERE id = ?",
                template("UPDATE account SET balance = balance - 5 WHERE id = 42"),
                "5 is a subtraction's operand, part of an expression");
        assertEquals("UPDATE t SET a = ?, b = ? WHERE c = -? AND d <= ? AND e <> ?",
                template("UPDATE t SET a = 'it''s', b = 7 WHERE c = -3 AND d <= 4 AND e <> 'x'"));
        assertEquals("INSERT INTO t(a, b) VALUES (?, ?), (?, ?)", template("INSERT INTO t(a, b) VALUES (1, 'a'), (2, 'b')"));
        assertEquals("DELETE FROM t WHERE id IN (?, ?, ?)", template("DELETE FROM t WHERE id IN (1, 2, 3)"));
        assertEquals("SELECT * FROM t WHERE name LIKE ? ESCAPE '!'", template("SELECT * FROM t WHERE name LIKE 'a!%%' ESCAPE '!'"));
    }

    @Test
    void leavesWhatABoundValueWouldChange() {
        // result columns are named after their text; ORDER BY 2 names a column; LIMIT and later clauses stay
        assertEquals(null, template("SELECT 5, 'x' FROM t"));
        assertEquals("SELECT a, 1 FROM t WHERE b = ? ORDER BY 2 LIMIT 3", template("SELECT a, 1 FROM t WHERE b = 9 ORDER BY 2 LIMIT 3"));
        assertEquals("SELECT a FROM t WHERE b = ? GROUP BY 1", template("SELECT a FROM t WHERE b = 9 GROUP BY 1"));
        assertEquals("SELECT a FROM t WHERE b IN (SELECT c FROM u WHERE d = ? ORDER BY 1 LIMIT 1) AND e = 2",
                template("SELECT a FROM t WHERE b IN (SELECT c FROM u WHERE d = 1 ORDER BY 1 LIMIT 1) AND e = 2"),
                "nothing from a nested ORDER on");
        assertEquals("SELECT a FROM t JOIN u ON u.k = 5 WHERE t.b = ?", template("SELECT a FROM t JOIN u ON u.k = 5 WHERE t.b = 6"));
        // inside expressions: an index on json_extract(doc, '$.kind') matches the text
        assertEquals("SELECT * FROM t WHERE json_extract(doc, '$.kind') = ?", template("SELECT * FROM t WHERE json_extract(doc, '$.kind') = 'a'"));
        assertEquals("INSERT INTO t VALUES (json('[1]'), ?)", template("INSERT INTO t VALUES (json('[1]'), 2)"));
        assertEquals("INSERT INTO t VALUES (?) ON CONFLICT(a) DO UPDATE SET b = 1", template("INSERT INTO t VALUES (1) ON CONFLICT(a) DO UPDATE SET b = 1"));
        assertEquals("UPDATE t SET a = ? WHERE b = ? RETURNING a, 5", template("UPDATE t SET a = 1 WHERE b = 2 RETURNING a, 5"));
        // reals, hexadecimal, separators, blobs, out-of-range integers: SQLite's own reading
        assertEquals(null, template("SELECT * FROM t WHERE a = 1.5 OR b = 0x10 OR c = 1_000 OR d = x'00' OR e = 9223372036854775808"));
        // its own parameters, DDL, PRAGMA, EXPLAIN, several statements
        assertEquals(null, template("SELECT * FROM t WHERE a = ? AND b = 5"));
        assertEquals(null, template("CREATE TABLE t(a DEFAULT 5)"));
        assertEquals(null, template("PRAGMA cache_size = 5"));
        assertEquals(null, template("EXPLAIN SELECT * FROM t WHERE a = 5"));
    }

    @Test
    void keywordsCountOnlyAsWholeWordsInAnyCase() {
        assertEquals("select a from t where orders = ? and in_stock = ? and whereabouts = ?",
                template("select a from t where orders = 5 and in_stock = 1 and whereabouts = 'x'"),
                "a column whose name begins with a keyword is a column");
        assertEquals("SELECT a FROM t WHERE b iN (?, ?) order by 1", template("SELECT a FROM t WHERE b iN (1, 2) order by 1"));
        assertEquals("Update t Set a = ? Where b Between ? And 3", template("Update t Set a = 1 Where b Between 2 And 3"),
                "only the first bound of a BETWEEN, as ever");
    }

    @Test
    void numbersAndStringsAreReadAsSqliteReadsThem() throws SQLException {
        assertEquals(List.of(9223372036854775807L, 7L, "it's", ""),
                boundValues("SELECT a FROM t WHERE b = 9223372036854775807 AND c = 007 AND d = 'it''s' AND e = ''"));
        assertEquals(null, template("SELECT a FROM t WHERE b = 18446744073709551616"), "past a long: SQLite reads a real");
    }

    @Test
    void aStatementNestedPastSixtyThreeParenthesesRunsAsWritten() {
        String within = "SELECT a FROM t WHERE " + "(".repeat(63) + "b = 1" + ")".repeat(63);
        assertEquals(within.replace("b = 1", "b = ?"), template(within));
        String past = "SELECT a FROM t WHERE " + "(".repeat(64) + "b = 1" + ")".repeat(64);
        assertEquals(null, template(past));
    }

    /** The values a statement's template binds, read back through plain sqlite-jdbc. */
    private static List<Object> boundValues(String sql) throws SQLException {
        LiteralTemplate t = LiteralTemplate.ofWhole(sql);
        assertNotNull(t, sql);
        int n = (int) t.sql().chars().filter(ch -> ch == '?').count();
        List<Object> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", java.util.Collections.nCopies(n, "?")))) {
            t.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int i = 1; i <= n; i++) {
                    out.add(rs.getObject(i) instanceof Number num ? (Object) num.longValue() : rs.getString(i));
                }
            }
        }
        return out;
    }

    /**
     * SQLite plans a template, once its values are bound, as it plans the literal statement: partial
     * indexes, LIKE prefixes and expression indexes are used the same way. Checked on plain
     * sqlite-jdbc with EXPLAIN QUERY PLAN, statement by statement.
     */
    @Test
    void aBoundTemplateIsPlannedAsItsLiteralStatement() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plans.db"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE job(id INTEGER PRIMARY KEY, status TEXT, owner TEXT, doc TEXT, name TEXT)");
            st.execute("CREATE INDEX open_jobs ON job(owner) WHERE status = 'open'");
            st.execute("CREATE INDEX job_kind ON job(json_extract(doc, '$.kind'))");
            st.execute("CREATE INDEX job_name ON job(name COLLATE NOCASE)");
            st.execute("PRAGMA case_sensitive_like = OFF");
            st.execute("INSERT INTO job(status, owner, doc, name) SELECT CASE WHEN value % 10 = 0 THEN 'open' ELSE "
                    + "'done' END, 'o' || (value % 50), json_object('kind', 'k' || (value % 7)), 'n' || value "
                    + "FROM (WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 2000) "
                    + "SELECT value FROM n)");
            st.execute("ANALYZE");
            List<String> queries = List.of(
                    "SELECT id FROM job WHERE status = 'open' AND owner = 'o10'",
                    "SELECT id FROM job WHERE json_extract(doc, '$.kind') = 'k3'",
                    "SELECT id FROM job WHERE name LIKE 'n12%'",
                    "SELECT id FROM job WHERE id = 7",
                    "SELECT id FROM job WHERE id BETWEEN 5 AND 9");
            // the literal statements do use those indexes, so the comparison below means something
            assertTrue(plan(c, queries.get(0), null).toString().contains("open_jobs"), plan(c, queries.get(0), null).toString());
            assertTrue(plan(c, queries.get(1), null).toString().contains("job_kind"), plan(c, queries.get(1), null).toString());
            assertTrue(plan(c, queries.get(2), null).toString().contains("job_name"), plan(c, queries.get(2), null).toString());
            for (String sql : queries) {
                SqlStatement s = StatementClassifier.parse(sql).statements().get(0);
                LiteralTemplate t = LiteralTemplate.of(s);
                assertNotNull(t, sql);
                assertEquals(plan(c, sql, null), plan(c, t.sql(), t), "the plan of " + sql + " as " + t.sql());
            }
        }
    }

    private static List<String> plan(Connection c, String sql, LiteralTemplate bound) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            if (bound != null) {
                bound.bind(ps);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
        }
        return steps;
    }
}
