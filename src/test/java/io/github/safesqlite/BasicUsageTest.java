package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicUsageTest {
    @TempDir Path dir;

    @Test
    void createInsertQueryTransactAndReadMetadata() throws Exception {
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("a.db").toString()).dataSource();
             Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            assertEquals(1, st.executeUpdate("INSERT INTO t(v) VALUES ('a')"));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(v) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "b");
                assertEquals(1, ps.executeUpdate());
                ResultSet k = ps.getGeneratedKeys();
                assertTrue(k.next());
                assertEquals(2, k.getLong(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
                assertSame(st, rs.getStatement());
            }
            try (ResultSet rs = st.executeQuery("INSERT INTO t(v) VALUES ('c') RETURNING id, v")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getLong(1));
                assertEquals("c", rs.getString("v"));
                assertFalse(rs.next());
            }
            c.setAutoCommit(false);
            st.executeUpdate("DELETE FROM t");
            c.rollback();
            c.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertEquals(3, rs.getInt(1));
            }
            assertEquals("wal", scalar(st, "PRAGMA journal_mode"));
            st.execute("INSERT INTO t(v) VALUES ('x'); INSERT INTO t(v) VALUES ('y'); SELECT last_insert_rowid()");
            ResultSet rs = st.getResultSet();
            assertTrue(rs.next());
            assertEquals(5, rs.getLong(1));
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet tables = md.getTables(null, null, "t", null)) {
                assertTrue(tables.next());
            }
            assertSame(c, md.getConnection());
        }
    }

    static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
