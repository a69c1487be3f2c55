package io.github.safesqlite.jdbc;

import static io.github.safesqlite.Databases.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** Logical identity, unwrap, the generated delegation and the physical statement cache. */
class JdbcSurfaceTest {

    @TempDir
    Path dir;

    private SafeSqliteDataSource ds;
    private Connection c;

    @BeforeEach
    void open() throws SQLException {
        ds = Databases.dataSource(dir, "surface.db");
        c = ds.getConnection();
        exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
        exec(c, "INSERT INTO t(v) VALUES ('a'), ('b')");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
        ds.close();
    }

    @Test
    void logicalObjectsPointAtEachOther() throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM t")) {
            assertSame(c, st.getConnection());
            assertSame(st, rs.getStatement());
            assertEquals("v", rs.getMetaData().getColumnName(1), "generated delegation reaches sqlite-jdbc");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            ps.setInt(1, 2);
            try (ResultSet rs = ps.executeQuery()) {
                assertSame(ps, rs.getStatement());
                assertTrue(rs.next());
                assertEquals("b", rs.getString(1));
            }
            assertEquals(1, ps.getParameterMetaData().getParameterCount());
            assertEquals("v", ps.getMetaData().getColumnName(1), "described before or after execution");
        }
        DatabaseMetaData md = c.getMetaData();
        assertSame(c, md.getConnection());
        assertEquals("SQLite", md.getDatabaseProductName());
        try (ResultSet columns = md.getColumns(null, null, "t", null)) {
            assertTrue(columns.next());
            assertEquals("id", columns.getString("COLUMN_NAME"));
        }
    }

    @Test
    void unwrapReachesSqliteJdbc() throws Exception {
        assertTrue(c.isWrapperFor(SQLiteConnection.class));
        assertThrows(SQLException.class, () -> c.unwrap(SQLiteConnection.class), "no single physical connection in autocommit");
        c.setAutoCommit(false);
        exec(c, "SELECT 1");
        SQLiteConnection physical = c.unwrap(SQLiteConnection.class);
        assertFalse(physical.getAutoCommit(), "safesqlite manages BEGIN/COMMIT itself; sqlite-jdbc's flag is off, "
                + "so it adds no BEGIN after each statement");
        c.rollback();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            // The very objects sqlite-jdbc made: they answer like sqlite-jdbc's own (not a copy, not a wrapper).
            org.sqlite.core.CoreResultSet physicalRows = rs.unwrap(org.sqlite.core.CoreResultSet.class);
            assertTrue(physicalRows instanceof ResultSet r && !(r instanceof LogicalResultSet) && r.next()
                    && r.getInt(1) == 1, "the physical ResultSet, positioned on its row");
            org.sqlite.core.CoreStatement physicalStatement = st.unwrap(org.sqlite.core.CoreStatement.class);
            assertTrue(physicalStatement instanceof Statement s && !(s instanceof LogicalStatement)
                    && s.getConnection() instanceof SQLiteConnection, "the physical statement of a sqlite-jdbc connection");
        }
    }

    @Test
    void aPreparedStatementRunAgainIsNotPreparedAgain() throws Exception {
        c.setAutoCommit(false); // one physical connection for the whole test
        org.sqlite.core.CorePreparedStatement first;
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            ps.setInt(1, 1);
            ps.executeQuery().close();
            ps.execute();
            first = ps.unwrap(org.sqlite.core.CorePreparedStatement.class);
            ps.getResultSet().close();
        }
        try (PreparedStatement again = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            again.setInt(1, 1);
            ResultSet open = again.executeQuery();
            assertSame(first, again.unwrap(org.sqlite.core.CorePreparedStatement.class), "a new logical statement reuses the cached one");
            try (PreparedStatement twin = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
                twin.setInt(1, 2);
                try (ResultSet rs = twin.executeQuery()) {
                    assertNotSame(first, twin.unwrap(org.sqlite.core.CorePreparedStatement.class), "in use: a private twin is prepared");
                    assertTrue(rs.next());
                    assertEquals("b", rs.getString(1));
                }
            }
            assertTrue(open.next(), "the first one's rows were not disturbed");
            assertEquals("a", open.getString(1));
        }
        c.commit();
    }

    @Test
    void commitClosesResultsOpenInTheTransaction() throws Exception {
        c.setAutoCommit(false);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM t");
        c.commit();
        assertTrue(rs.isClosed(), "CLOSE_CURSORS_AT_COMMIT");
        assertThrows(SQLException.class, rs::next);
    }

    @Test
    void unsupportedFeaturesSaySo() {
        SQLFeatureNotSupportedException e = assertThrows(SQLFeatureNotSupportedException.class, () -> c.prepareCall("x"));
        assertTrue(e.getMessage().contains("stored procedures"));
        assertThrows(SQLFeatureNotSupportedException.class,
                () -> c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY));
        SQLException multi = assertThrows(SQLException.class, () -> c.prepareStatement("SELECT 1; SELECT 2"));
        assertTrue(multi.getMessage().contains("one SQL statement"), multi.getMessage());
    }

    @Test
    void generatedClassesImplementEveryJdbcMethod() throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1");
             PreparedStatement ps = c.prepareStatement("SELECT 1")) {
            for (Object o : new Object[] {c, st, rs, ps, c.getMetaData()}) {
                for (Method m : o.getClass().getMethods()) {
                    assertTrue(!Modifier.isAbstract(m.getModifiers()), o.getClass().getName() + " leaves " + m + " abstract");
                }
            }
        }
    }
}
