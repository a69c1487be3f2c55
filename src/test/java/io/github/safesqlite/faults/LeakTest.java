package io.github.safesqlite.faults;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever fails, and however, every reader, the writer and the gate go back. */
class LeakTest {

    @TempDir
    Path dir;

    /**
     * Binds one parameter too many and returns what {@code setInt} threw (it must throw there, not
     * later). sqlite-jdbc throws an ArrayIndexOutOfBoundsException; safesqlite a SQLException that
     * says what is wrong, as every failure a user can cause should.
     */
    private static Exception bindPastTheEnd(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE v = ?")) {
            ps.setInt(1, 1);
            return assertThrows(Exception.class, () -> ps.setInt(2, 2), "fails at setX");
        }
    }

    @Test
    void aParameterIndexPastTheEndFailsAtSetLikeSqliteJdbcAndLeaksNothing() throws Exception {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            exec(plain, "CREATE TABLE t(v INTEGER)");
            assertTrue(bindPastTheEnd(plain) instanceof IndexOutOfBoundsException, "sqlite-jdbc fails at setX too");
        }
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "ours.db", "readers=2", "reader_timeout=2000");
             Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE t(v INTEGER)");
            for (int i = 0; i < 5; i++) { // more than the readers: a leak would show
                Exception e = bindPastTheEnd(c);
                assertTrue(e instanceof SQLException && e.getMessage().contains("parameter index 2 is out of range: "
                        + "this statement has 1 parameter"), String.valueOf(e));
            }
            assertEquals(0, longValue(c, "SELECT count(*) FROM t"), "readers are all still there");
            assertEquals(0, ds.health().readersInUse());
        }
    }

    @Test
    void parametersAreCountedAsSqliteNumbersThem() throws Exception {
        String[][] cases = {
            {"SELECT ?, ?", "2"}, {"SELECT ?3", "3"}, {"SELECT :a, :b, :a", "2"}, {"SELECT ?2, ?", "3"},
            {"SELECT @x, $y, ?", "3"}, {"SELECT '?', \"?\" FROM (SELECT 1 AS \"?\")", "0"}, {"SELECT 1 -- ?", "0"},
        };
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite::memory:");
             SafeSqliteDataSource ds = Databases.dataSource(dir, "count.db"); Connection c = ds.getConnection()) {
            for (String[] k : cases) {
                int expected;
                try (PreparedStatement ps = plain.prepareStatement(k[0])) {
                    expected = ps.getParameterMetaData().getParameterCount();
                }
                assertEquals(Integer.parseInt(k[1]), expected, "SQLite's own count of " + k[0]);
                try (PreparedStatement ps = c.prepareStatement(k[0])) {
                    assertEquals(expected, ps.getParameterMetaData().getParameterCount(), k[0]);
                    for (int i = 1; i <= expected; i++) {
                        ps.setInt(i, i); // every index SQLite knows is accepted
                    }
                    int past = expected + 1;
                    assertThrows(SQLException.class, () -> ps.setInt(past, 0), k[0]);
                }
            }
        }
    }

    @Test
    void aRuntimeExceptionDuringAReadGivesTheReaderBack() throws Exception {
        Object explodes = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("bad value");
            }
        };
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "rt.db", "readers=2", "reader_timeout=2000");
             Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE t(v TEXT)");
            for (int i = 0; i < 5; i++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE v = ?")) {
                    ps.setObject(1, explodes); // replayed when it runs, on the reader it borrowed
                    RuntimeException e = assertThrows(RuntimeException.class, ps::executeQuery);
                    assertTrue(e.getMessage().contains("bad value"), e.getMessage());
                }
            }
            assertEquals(0, ds.health().readersInUse(), "every reader came back");
            assertEquals(0, longValue(c, "SELECT count(*) FROM t"));
        }
    }
}
