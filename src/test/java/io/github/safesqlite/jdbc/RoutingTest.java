package io.github.safesqlite.jdbc;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.sql.SqlScript;
import io.github.safesqlite.sql.SqlStatement;
import io.github.safesqlite.sql.StatementKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where statements run: readers for reads, the writer for writes, and what happens when the guess is wrong. */
class RoutingTest {

    @TempDir
    Path dir;

    private SafeSqliteDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = Databases.dataSource(dir, "route.db", "gate_timeout=300");
        try (Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
        }
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private static Engine engine(Connection c) {
        return ((LogicalConnection) c).engine();
    }

    @Test
    void writeTakenForAReadIsRerunOnTheWriterOnce() throws Exception {
        String sql = "INSERT INTO t(v) VALUES ('sneaky')";
        try (Connection c = ds.getConnection()) {
            Engine engine = engine(c);
            engine.classifier().remember(sql, new SqlScript(List.of(
                    new SqlStatement(StatementKind.READ, sql, null, null, null, false, false)), sql, 0));
            long before = engine.reroutes();
            try (Statement st = c.createStatement()) {
                assertFalse(st.execute(sql));
                assertEquals(1, st.getUpdateCount());
            }
            assertEquals(before + 1, engine.reroutes(), "counted as a re-route");
            assertEquals(1, longValue(c, "SELECT count(*) FROM t"), "written exactly once");
        }
    }

    @Test
    void autocommitReadsDoNotWaitForTheWriter() throws Exception {
        try (Connection writer = ds.getConnection(); Connection reader = ds.getConnection()) {
            exec(writer, "INSERT INTO t(v) VALUES ('committed')");
            writer.setAutoCommit(false);
            exec(writer, "INSERT INTO t(v) VALUES ('pending')");
            // Another thread reads while this thread holds the writer in an open transaction.
            long seen = CompletableFuture.supplyAsync(() -> {
                try {
                    return longValue(reader, "SELECT count(*) FROM t");
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            }).get(10, TimeUnit.SECONDS);
            assertEquals(1, seen, "reads see the last committed state, without waiting");
            writer.commit();
        }
    }

    @Test
    void multiStatementStringsRunEveryStatement() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO t(v) VALUES ('a'); INSERT INTO t(v) VALUES ('b; not a separator'); "
                    + "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET v = upper(v) WHERE id = new.id; END; "
                    + "INSERT INTO t(v) VALUES ('c')");
            assertEquals(3, longValue(c, "SELECT count(*) FROM t"));
            assertEquals("C", Databases.text(c, "SELECT v FROM t WHERE id = 3"), "the trigger body stayed whole");
            // Each statement counts as sqlite-jdbc counts it (the trigger's rows included): the string reports the sum.
            long expected;
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement p = plain.createStatement()) {
                p.executeUpdate("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
                p.executeUpdate("CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET v = upper(v) WHERE id = new.id; END");
                expected = p.executeUpdate("INSERT INTO t(v) VALUES ('d')") + p.executeUpdate("INSERT INTO t(v) VALUES ('e')");
            }
            assertEquals(expected, st.executeUpdate("INSERT INTO t(v) VALUES ('d'); INSERT INTO t(v) VALUES ('e')"),
                    "executeUpdate reports the sum of the counts");
            assertTrue(st.execute("INSERT INTO t(v) VALUES ('f'); SELECT last_insert_rowid()"));
            try (ResultSet rs = st.getResultSet()) {
                assertTrue(rs.next());
                assertEquals(6, rs.getLong(1), "the script ran on the writer, which knows its own insert");
            }
        }
        // sqlite-jdbc itself runs only the first statement through execute:
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"));
             Statement st = plain.createStatement()) {
            st.execute("CREATE TABLE p(x); INSERT INTO p VALUES (1)");
            assertEquals(0, longValue(plain, "SELECT count(*) FROM p"));
        }
    }

    @Test
    void aMultiStatementStringInAutocommitModeRunsAllOrNothing() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThrows(SQLException.class, () -> st.execute("INSERT INTO t(v) VALUES ('a'); INSERT INTO no_such_table VALUES (1)"));
            assertEquals(0, longValue(c, "SELECT count(*) FROM t"), "the first INSERT was rolled back with the failure");
            assertThrows(SQLException.class, () -> st.executeQuery("INSERT INTO t(v) VALUES ('b'); INSERT INTO t(v) VALUES ('c')"));
            assertEquals(0, longValue(c, "SELECT count(*) FROM t"), "an executeQuery that failed changed nothing");
            assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE t SET v = 'x'; INSERT INTO t(id, v) VALUES (1, 'a'), (1, 'b')"));
            assertEquals(0, longValue(c, "SELECT count(*) FROM t"));
            // With its own transaction control a string runs statement by statement, as SQLite runs it.
            assertThrows(SQLException.class, () -> st.execute("BEGIN; INSERT INTO t(v) VALUES ('kept'); COMMIT; "
                    + "INSERT INTO no_such_table VALUES (1)"));
            assertEquals(1, longValue(c, "SELECT count(*) FROM t"), "its own committed transaction stays");
            // VACUUM cannot run inside a transaction: such a string runs statement by statement.
            st.execute("DELETE FROM t; VACUUM");
            assertEquals(0, longValue(c, "SELECT count(*) FROM t"));
            st.execute("INSERT INTO t(v) VALUES ('d'); INSERT INTO t(v) VALUES ('e')");
            assertEquals(2, longValue(c, "SELECT count(*) FROM t"), "a string that succeeds commits");
        }
    }

    @Test
    void connectionStateStatementsAreRefusedWithAReason() throws Exception {
        try (Connection c = ds.getConnection()) {
            for (String sql : List.of("ATTACH DATABASE '" + dir.resolve("other.db") + "' AS other",
                    "DETACH DATABASE other", "CREATE TEMP TABLE scratch(x)", "CREATE TEMPORARY VIEW tv AS SELECT 1",
                    "SELECT load_extension('x')")) {
                SQLFeatureNotSupportedException e =
                        assertThrows(SQLFeatureNotSupportedException.class, () -> exec(c, sql), sql);
                assertTrue(e.getMessage().contains("physical connection"), e.getMessage());
            }
            SQLException pragma = assertThrows(SQLException.class, () -> exec(c, "PRAGMA recursive_triggers = ON"));
            assertTrue(pragma.getMessage().contains("recursive_triggers"), pragma.getMessage());
            assertEquals(0, longValue(c, "PRAGMA recursive_triggers"), "asking is fine");
        }
    }

    @Test
    void generatedKeysAfterEveryInsertAsInSqliteJdbcUnlessSwitchedOff() throws Exception {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
                ps.setString(1, "not asked");
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertTrue(keys.next(), "sqlite-jdbc answers without RETURN_GENERATED_KEYS too");
                    assertEquals(1, keys.getLong(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(v) VALUES (?)", new String[] {"id"})) {
                ps.setString(1, "keys");
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertTrue(keys.next());
                    assertEquals(2, keys.getLong(1));
                    assertTrue(keys.getStatement() == ps, "keys belong to the logical statement");
                }
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE t SET v = 'x'", Statement.RETURN_GENERATED_KEYS);
                assertFalse(st.getGeneratedKeys().next(), "an UPDATE generates no key");
            }
        }
        try (SafeSqliteDataSource off = Databases.dataSource(dir, "nokeys.db", "jdbc.get_generated_keys=false");
             Connection c = off.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE k(id INTEGER PRIMARY KEY)");
            st.executeUpdate("INSERT INTO k DEFAULT VALUES", Statement.RETURN_GENERATED_KEYS);
            assertFalse(st.getGeneratedKeys().next(), "switched off, as sqlite-jdbc's option switches it off");
        }
    }

    @Test
    void returningRowsOfAnAutocommitWriteDoNotHoldTheWriter() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("INSERT INTO t(v) VALUES ('r1'), ('r2') RETURNING id, v")) {
            // rows still open: another thread can write meanwhile
            CompletableFuture.runAsync(() -> {
                try (Connection other = ds.getConnection()) {
                    exec(other, "INSERT INTO t(v) VALUES ('meanwhile')");
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            }).get(10, TimeUnit.SECONDS);
            assertTrue(rs.next());
            assertEquals("r1", rs.getString("v"));
            assertTrue(rs.next());
            assertEquals(2, rs.getLong("id"));
            assertFalse(rs.next());
        }
    }

    @Test
    void gettingAConnectionOpensNothing() throws Exception {
        try (Connection first = ds.getConnection()) {
            Engine engine = engine(first);
            List<Connection> many = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                many.add(ds.getConnection());
            }
            assertEquals(0, engine.readersInUse() + engine.readersIdle(), "no reader opened by getConnection");
            assertEquals(0, longValue(many.get(199), "SELECT count(*) FROM t"));
            assertEquals(1, engine.readersIdle(), "the first read opened one reader, now back in the pool");
            for (Connection c : many) {
                c.close();
            }
        }
    }

    @Test
    void executeUpdateAndExecuteQueryOnTheWrongKindOfStatement() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            // Common start-up code: sqlite-jdbc accepts it, and so does safesqlite.
            assertEquals(0, st.executeUpdate("PRAGMA journal_mode = WAL"));
            assertEquals(1, st.executeUpdate("INSERT INTO t(v) VALUES ('r') RETURNING id"));
            // sqlite-jdbc would insert the row and then fail; here the failure means nothing happened.
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("INSERT INTO t(v) VALUES ('q')"));
            assertTrue(e.getMessage().contains("does not return"), e.getMessage());
            assertEquals(1, longValue(c, "SELECT count(*) FROM t"));
            try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                assertThrows(SQLException.class, ps::executeUpdate, "JDBC: a PreparedStatement query is not an update");
            }
        }
    }

    @Test
    void readersComeBackWhenResultsAreReadToTheEnd() throws Exception {
        try (SafeSqliteDataSource one = Databases.dataSource(dir, "one.db", "readers=1", "reader_timeout=200");
             Connection c = one.getConnection()) {
            exec(c, "CREATE TABLE n(x)");
            exec(c, "INSERT INTO n VALUES (1), (2)");
            Statement leaked = c.createStatement(); // never closed by the application
            ResultSet rs = leaked.executeQuery("SELECT x FROM n");
            while (rs.next()) {
                rs.getInt(1);
            }
            assertEquals(2, longValue(c, "SELECT count(*) FROM n"), "the only reader is free again");
            ResultSet open = c.createStatement().executeQuery("SELECT x FROM n");
            open.next();
            // The connection's own next read shares the reader its open rows hold; another connection waits.
            assertEquals(2, longValue(c, "SELECT count(*) FROM n"), "a connection never waits for itself");
            try (Connection other = one.getConnection()) {
                SQLException e = assertThrows(SQLException.class, () -> longValue(other, "SELECT count(*) FROM n"));
                assertTrue(e.getMessage().contains("no reader"), e.getMessage());
                open.close();
                assertEquals(2, longValue(other, "SELECT count(*) FROM n"), "free again once the rows closed");
            }
        }
    }
}
