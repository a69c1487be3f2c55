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

    /** The rest of the connection and statement surface a program touches, one call each. */
    private static List<String> surface(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            note(seen, "maxRows", () -> {
                st.setMaxRows(2);
                int n = 0;
                try (ResultSet r = st.executeQuery("SELECT 1 UNION SELECT 2 UNION SELECT 3")) {
                    while (r.next()) {
                        n++;
                    }
                }
                st.setMaxRows(0);
                return n + " rows, max " + st.getLargeMaxRows();
            });
            note(seen, "escape processing off", () -> {
                st.setEscapeProcessing(false);
                return "ok";
            });
            note(seen, "query timeout", () -> {
                st.setQueryTimeout(3);
                return st.getQueryTimeout();
            });
            note(seen, "fetch size", () -> {
                st.setFetchSize(10);
                return st.getFetchSize();
            });
            note(seen, "a missing column name", () -> {
                try (ResultSet r = st.executeQuery("SELECT 1 AS one")) {
                    r.next();
                    return r.getInt("nope");
                }
            });
            note(seen, "getObject types", () -> {
                try (ResultSet r = st.executeQuery("SELECT 1, 1.5, 'x', x'00', NULL, 9223372036854775807")) {
                    r.next();
                    return r.getObject(1).getClass().getSimpleName() + " " + r.getObject(2).getClass().getSimpleName()
                            + " " + r.getObject(3).getClass().getSimpleName() + " " + r.getObject(4).getClass().getSimpleName()
                            + " " + r.getObject(5) + " " + r.getObject(6).getClass().getSimpleName();
                }
            });
            note(seen, "update count after a query", () -> {
                st.executeQuery("SELECT 1").close();
                return st.getUpdateCount();
            });
            note(seen, "statement unwraps to itself", () -> st.unwrap(Statement.class) == st);
        }
        for (int level : new int[] {Connection.TRANSACTION_NONE, Connection.TRANSACTION_READ_UNCOMMITTED,
                Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ,
                Connection.TRANSACTION_SERIALIZABLE, 3}) {
            note(seen, "isolation " + level, () -> {
                c.setTransactionIsolation(level);
                return c.getTransactionIsolation();
            });
        }
        note(seen, "connection wraps Statement", () -> c.isWrapperFor(Statement.class));
        note(seen, "connection unwraps to itself", () -> c.unwrap(Connection.class) == c);
        note(seen, "catalog, schema", () -> c.getCatalog() + ", " + c.getSchema());
        note(seen, "holdability", c::getHoldability);
        note(seen, "nativeSQL", () -> c.nativeSQL("SELECT 1"));
        note(seen, "valid", () -> c.isValid(1));
        note(seen, "network timeout", c::getNetworkTimeout);
        note(seen, "warnings", c::getWarnings);
        note(seen, "commit in autocommit", () -> {
            c.commit();
            return "ok";
        });
        note(seen, "autocommit off twice, then on", () -> {
            c.setAutoCommit(false);
            c.setAutoCommit(false);
            c.setAutoCommit(true);
            return c.getAutoCommit();
        });
        note(seen, "product", () -> c.getMetaData().getDatabaseProductName());
        c.close();
        note(seen, "closed: valid", () -> c.isValid(1));
        note(seen, "closed: createStatement", c::createStatement);
        note(seen, "closed: close again", () -> {
            c.close();
            return "ok";
        });
        note(seen, "closed: getAutoCommit", c::getAutoCommit);
        return seen;
    }

    @Test
    void theRestOfTheConnectionAndStatementSurfaceMatchesSqliteJdbc() throws Exception {
        UrlSwap.assertSameAsPlain(dir, "surface.db", "", null, SmallerDifferencesParityTest::surface);
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
