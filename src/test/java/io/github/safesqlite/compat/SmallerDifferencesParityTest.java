package io.github.safesqlite.compat;

import io.github.safesqlite.Databases;
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

    private static String row(ResultSet r) throws SQLException {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
            b.append(r.getString(i)).append('|');
        }
        return b.toString();
    }

    /** Binding every kind of value, batches and their keys, reading every kind back, savepoint names. */
    private static List<String> preparedStatements(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement create = c.createStatement()) {
            create.executeUpdate("CREATE TABLE t(id INTEGER PRIMARY KEY, a, b, d)");
        }
        try (Statement st = c.createStatement();
             PreparedStatement ps = c.prepareStatement("INSERT INTO t(a, b, d) VALUES (?, ?, ?)")) {
            note(seen, "missing parameters", () -> {
                ps.setInt(1, 1);
                return ps.executeUpdate();
            });
            note(seen, "cleared parameters", () -> {
                ps.clearParameters();
                return ps.executeUpdate();
            });
            note(seen, "objects", () -> {
                ps.setObject(1, new java.math.BigDecimal("1.50"));
                ps.setObject(2, new byte[] {1, 2});
                ps.setObject(3, 'c');
                return ps.executeUpdate();
            });
            note(seen, "small numbers", () -> {
                ps.setFloat(1, 1.5f);
                ps.setShort(2, (short) 2);
                ps.setByte(3, (byte) 3);
                return ps.executeUpdate();
            });
            note(seen, "dates", () -> {
                ps.setDate(1, new java.sql.Date(86_400_000L));
                ps.setTime(2, new java.sql.Time(3_600_000L));
                ps.setTimestamp(3, new java.sql.Timestamp(1000L));
                return ps.executeUpdate();
            });
            note(seen, "setObject with a type", () -> {
                ps.setObject(1, "12", java.sql.Types.INTEGER);
                ps.setObject(2, 3.0, java.sql.Types.VARCHAR);
                ps.setNull(3, java.sql.Types.BLOB);
                return ps.executeUpdate();
            });
            note(seen, "java.time and UUID", () -> {
                ps.setObject(1, java.time.LocalDate.of(2020, 1, 2));
                ps.setObject(2, java.time.LocalDateTime.of(2020, 1, 2, 3, 4, 5));
                ps.setObject(3, java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"));
                return ps.executeUpdate();
            });
            note(seen, "streams", () -> {
                ps.setCharacterStream(1, new java.io.StringReader("reader"));
                ps.setBinaryStream(2, new java.io.ByteArrayInputStream(new byte[] {9}), 1);
                ps.setAsciiStream(3, new java.io.ByteArrayInputStream("asc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 3);
                return ps.executeUpdate();
            });
            note(seen, "batch", () -> {
                ps.setInt(1, 1);
                ps.setInt(2, 2);
                ps.setInt(3, 3);
                ps.addBatch();
                ps.setInt(1, 4);
                ps.addBatch();
                return java.util.Arrays.toString(ps.executeBatch());
            });
            // (getGeneratedKeys() now differs: sqlite-jdbc still answers the key of the INSERT before the batch,
            // safesqlite the batch's last; see below and the README's table.)
            note(seen, "an empty batch", () -> java.util.Arrays.toString(ps.executeBatch()));
            note(seen, "stored", () -> {
                StringBuilder b = new StringBuilder();
                try (ResultSet r = st.executeQuery("SELECT a, typeof(a), b, typeof(b), d, typeof(d) FROM t ORDER BY id")) {
                    while (r.next()) {
                        b.append(row(r)).append(" ; ");
                    }
                }
                return b;
            });
            note(seen, "read back", () -> {
                try (ResultSet r = st.executeQuery("SELECT d, b, '2020-01-02', '2020-01-02 03:04:05', 1.25, 'x12', 1, 'true' "
                        + "FROM t WHERE id = 5")) {
                    r.next();
                    return r.getDate(1) + " " + r.getTimestamp(1) + " " + r.getLong(1) + " " + r.getTime(2) + " "
                            + r.getObject(3, java.time.LocalDate.class) + " " + r.getObject(4, java.time.LocalDateTime.class)
                            + " " + r.getBigDecimal(5) + " " + r.getInt(6) + " " + r.getBoolean(7) + " " + r.getBoolean(8);
                }
            });
            note(seen, "result metadata", () -> {
                try (ResultSet r = st.executeQuery("SELECT id, a AS alias, d FROM t")) {
                    ResultSetMetaData m = r.getMetaData();
                    return m.getColumnCount() + " " + m.getColumnName(2) + " " + m.getColumnLabel(2) + " " + m.getTableName(1)
                            + " " + m.getColumnTypeName(1) + " " + m.isAutoIncrement(1) + " " + m.isNullable(1) + " "
                            + m.getColumnClassName(1) + " " + m.getPrecision(1) + " " + m.getColumnDisplaySize(1);
                }
            });
            note(seen, "executeQuery of an INSERT", ps::executeQuery);
            note(seen, "execute(String) on a PreparedStatement", () -> ps.execute("SELECT 1"));
        }
        note(seen, "savepoints", () -> {
            c.setAutoCommit(false);
            java.sql.Savepoint first = c.setSavepoint();
            java.sql.Savepoint named = c.setSavepoint("n");
            String ids = first.getSavepointId() + " " + first.getSavepointName() + " " + named.getSavepointId() + " "
                    + named.getSavepointName();
            c.releaseSavepoint(named);
            c.rollback(first);
            c.commit();
            c.setAutoCommit(true);
            return ids;
        });
        return seen;
    }

    @Test
    void preparedStatementsBindAndReadEveryKindOfValueAsSqliteJdbcDoes() throws Exception {
        UrlSwap.assertSameAsPlain(dir, "prepared.db", "", null, SmallerDifferencesParityTest::preparedStatements);
        UrlSwap.observe("jdbc:safesqlite:" + dir.resolve("batch-keys.db"), null, c -> {
            Databases.exec(c, "CREATE TABLE k(id INTEGER PRIMARY KEY, v)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO k(v) VALUES (?)")) {
                ps.setInt(1, 1);
                ps.executeUpdate();
                for (int i = 0; i < 3; i++) {
                    ps.setInt(1, i);
                    ps.addBatch();
                }
                ps.executeBatch();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    org.junit.jupiter.api.Assertions.assertTrue(keys.next());
                    org.junit.jupiter.api.Assertions.assertEquals(4, keys.getLong(1), "the batch's last INSERT");
                }
            }
            return List.of();
        });
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
