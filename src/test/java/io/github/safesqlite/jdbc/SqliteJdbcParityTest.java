package io.github.safesqlite.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same JDBC calls on plain sqlite-jdbc and on safesqlite, compared by what a program can
 * observe: update counts of DDL, savepoints in autocommit mode, fetch-direction hints, and a query
 * in a batch.
 */
class SqliteJdbcParityTest {

    @TempDir
    Path dir;

    /** What a program observes; the same calls for both drivers. */
    private static List<String> observe(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
            seen.add("insert " + st.executeUpdate("INSERT INTO t(v) VALUES (1), (2), (3)"));
            seen.add("create index " + st.executeUpdate("CREATE INDEX i ON t(v)"));
            seen.add("drop index " + st.executeUpdate("DROP INDEX i"));
            seen.add("create table " + st.executeUpdate("CREATE TABLE u(x)"));
            st.executeUpdate("CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (new.v); END");
            seen.add("insert with a trigger " + st.executeUpdate("INSERT INTO t(v) VALUES (7)"));
            Savepoint sp = c.setSavepoint("a");
            seen.add("autocommit after setSavepoint " + c.getAutoCommit());
            st.executeUpdate("INSERT INTO t(v) VALUES (4)");
            c.rollback(sp);
            seen.add("autocommit after rollback to it " + c.getAutoCommit());
            // (Releasing it and then committing fails on sqlite-jdbc itself: "no transaction is active".)
            c.rollback();
            c.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                seen.add("rows " + rs.getInt(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM u")) {
                rs.next();
                seen.add("trigger rows " + rs.getInt(1));
            }
            st.setFetchDirection(ResultSet.FETCH_REVERSE);
            seen.add("fetch direction " + st.getFetchDirection());
            st.addBatch("INSERT INTO t(v) VALUES (5)");
            st.addBatch("SELECT 1");
            try {
                st.executeBatch();
                seen.add("batch with a query ran");
            } catch (BatchUpdateException e) {
                seen.add("batch with a query refused");
            }
        }
        return seen;
    }

    /** What a program observes through one connection. */
    @FunctionalInterface
    private interface Observation {
        List<String> on(Connection c) throws SQLException;
    }

    /** {@code observation} made on plain sqlite-jdbc, over a new file {@code name}: the reference. */
    private List<String> onPlain(String name, Observation observation) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name))) {
            return observation.on(c);
        }
    }

    @Test
    void whatAProgramObservesMatchesSqliteJdbc() throws Exception {
        List<String> plain = onPlain("plain.db", SqliteJdbcParityTest::observe);
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "ours.db"); Connection c = ds.getConnection()) {
            assertEquals(plain, observe(c));
        }
    }

    /** What a program reads off a ResultSet after next() returned false: exporters and mappers read its columns. */
    private static List<String> afterTheLastRow(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            st.executeUpdate("INSERT INTO t(v) VALUES ('a')");
            for (String sql : List.of("SELECT id, v AS label FROM t WHERE 0", "SELECT id, v AS label FROM t")) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        seen.add("row");
                    }
                    var meta = rs.getMetaData();
                    seen.add(meta.getColumnCount() + " columns: " + meta.getColumnLabel(1) + ", " + meta.getColumnLabel(2)
                            + " of type " + meta.getColumnType(1) + " " + meta.getColumnTypeName(1));
                    seen.add("label is column " + rs.findColumn("label"));
                    seen.add("before first " + rs.isBeforeFirst() + ", after last " + rs.isAfterLast() + ", first "
                            + rs.isFirst() + ", row " + rs.getRow() + ", type " + rs.getType());
                }
            }
        }
        return seen;
    }

    @Test
    void aResultSetReadToTheEndStillAnswersWhatSqliteJdbcAnswers() throws Exception {
        List<String> plain = onPlain("plain-end.db", SqliteJdbcParityTest::afterTheLastRow);
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "ours-end.db", "readers=1", "reader_timeout=2000");
             Connection c = ds.getConnection()) {
            assertEquals(plain, afterTheLastRow(c));
            assertEquals(0, ds.health().readersInUse(), "the reader went back at the end, as before");
        }
    }

    @Test
    void sqliteJdbcsBackupStatementMakesAConsistentCopyAndRestoreSaysHowToDoItSafely() throws Exception {
        Path plainCopy = dir.resolve("plain-copy.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain-b.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t(x)");
            st.executeUpdate("INSERT INTO t VALUES (1), (2)");
            st.executeUpdate("backup to '" + plainCopy + "'");
        }
        Path ourCopy = dir.resolve("our-copy.db");
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "ours-b.db"); Connection c = ds.getConnection();
             Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t(x)");
            st.executeUpdate("INSERT INTO t VALUES (1), (2)");
            assertEquals(0, st.executeUpdate("backup to '" + ourCopy + "'"));
            java.sql.SQLFeatureNotSupportedException restore = org.junit.jupiter.api.Assertions.assertThrows(
                    java.sql.SQLFeatureNotSupportedException.class, () -> st.executeUpdate("restore from '" + plainCopy + "'"));
            org.junit.jupiter.api.Assertions.assertTrue(restore.getMessage().contains("Close the data source"),
                    restore.getMessage());
        }
        for (Path copy : List.of(plainCopy, ourCopy)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertEquals(2, rs.getInt(1), copy + " holds the rows");
            }
        }
    }
}
