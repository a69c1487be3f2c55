package io.github.safesqlite.compat;

import io.github.safesqlite.testing.UrlSwap;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smaller JDBC behaviours of issue 13, item 9, compared with plain sqlite-jdbc: when invalid
 * SQL fails, getResultSet() twice, getMoreResults with every kind of argument, parameter metadata
 * after binding, and result metadata before execution.
 */
class SmallerDifferencesParityTest {

    @TempDir
    Path dir;

    /** Runs {@code call}, writing down what it returned or that it failed (not the message: wording may differ). */
    private static void note(List<String> seen, String what, Call call) {
        try {
            seen.add(what + ": " + call.run());
        } catch (SQLException e) {
            seen.add(what + ": fails" + (e.getSQLState() == null ? "" : ""));
        } catch (RuntimeException e) {
            seen.add(what + ": throws " + e.getClass().getSimpleName());
        }
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws SQLException;
    }

    private static List<String> smallerThings(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, n REAL)");
            st.executeUpdate("INSERT INTO t(v, n) VALUES ('a', 1.5), ('b', 2.5)");
        }
        note(seen, "prepare a syntax error", () -> c.prepareStatement("SELEC 1") != null);
        note(seen, "prepare a missing table", () -> c.prepareStatement("SELECT * FROM missing") != null);
        note(seen, "prepare a missing column", () -> c.prepareStatement("UPDATE t SET nope = 1") != null);
        note(seen, "prepare a valid one", () -> c.prepareStatement("SELECT v FROM t WHERE id = ?") != null);
        try (Statement st = c.createStatement()) {
            note(seen, "execute a query", () -> st.execute("SELECT id FROM t ORDER BY id"));
            note(seen, "getResultSet", () -> st.getResultSet() != null);
            note(seen, "update count with rows", st::getUpdateCount);
            note(seen, "getMoreResults(999)", () -> st.getMoreResults(999));
            note(seen, "getMoreResults(CLOSE_CURRENT_RESULT)", () -> st.getMoreResults(Statement.CLOSE_CURRENT_RESULT));
            note(seen, "update count after", st::getUpdateCount);
            note(seen, "getMoreResults()", st::getMoreResults);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, v AS label, n FROM t WHERE id > ? AND v <> ?")) {
            ResultSetMetaData before = ps.getMetaData();
            note(seen, "result metadata before execution",
                    () -> before.getColumnCount() + " " + before.getColumnLabel(2) + " " + before.getColumnType(1));
            ParameterMetaData pm = ps.getParameterMetaData();
            note(seen, "parameter count", pm::getParameterCount);
            ps.setLong(1, 0);
            ps.setString(2, "z");
            note(seen, "parameter type after setLong", () -> pm.getParameterType(1));
            note(seen, "parameter type after setString", () -> pm.getParameterType(2));
            note(seen, "parameter class name", () -> pm.getParameterClassName(1));
            note(seen, "parameter nullable", () -> pm.isNullable(1));
            try (ResultSet rs = ps.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                final int r = rows;
                note(seen, "rows", () -> r);
            }
        }
        return seen;
    }

    @Test
    void theSmallerJdbcBehavioursMatchSqliteJdbc() throws Exception {
        UrlSwap.assertSameAsPlain(dir, "small.db", "", null, SmallerDifferencesParityTest::smallerThings);
    }

    /**
     * Where sqlite-jdbc fails a call that JDBC defines (the README's compatibility table lists
     * these), safesqlite answers as JDBC says: no program that works on sqlite-jdbc makes these calls.
     */
    @Test
    void whereSqliteJdbcRefusesAJdbcCallSafesqliteAnswersAsJdbcSays() throws Exception {
        UrlSwap.observe("jdbc:safesqlite:" + dir.resolve("jdbc.db"), null, c -> {
            try (Statement st = c.createStatement()) {
                ResultSet rs = st.executeQuery("SELECT 1 UNION ALL SELECT 2");
                org.junit.jupiter.api.Assertions.assertSame(rs, st.getResultSet(), "the current result, again");
                org.junit.jupiter.api.Assertions.assertFalse(st.getMoreResults(Statement.KEEP_CURRENT_RESULT));
                org.junit.jupiter.api.Assertions.assertTrue(rs.next(), "kept open");
                org.junit.jupiter.api.Assertions.assertFalse(st.getMoreResults(Statement.CLOSE_ALL_RESULTS));
                org.junit.jupiter.api.Assertions.assertTrue(rs.isClosed(), "closed");
                st.executeUpdate("CREATE TABLE t(x)");
                org.junit.jupiter.api.Assertions.assertNull(st.getResultSet(), "an update count has no ResultSet");
                org.junit.jupiter.api.Assertions.assertEquals(0, st.getUpdateCount());
            }
            return List.of();
        });
    }
}
