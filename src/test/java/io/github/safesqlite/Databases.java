package io.github.safesqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small helpers shared by the tests. */
public final class Databases {

    private Databases() {
    }

    /** A data source on {@code dir/name} with extra URL-style settings ("key=value" pairs). */
    public static SafeSqliteDataSource dataSource(Path dir, String name, String... settings) throws SQLException {
        SafeSqliteConfig.Builder b = SafeSqliteDataSource.builder().path(dir.resolve(name).toString());
        for (String s : settings) {
            int eq = s.indexOf('=');
            b.set(s.substring(0, eq), s.substring(eq + 1));
        }
        return b.dataSource();
    }

    /** Runs {@code sql} and returns the first column of the first row as a long. */
    public static long longValue(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** Runs {@code sql} and returns the first column of the first row as text. */
    public static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getString(1);
        }
    }

    /** Runs {@code sql} and returns the first column of every row as text. */
    public static java.util.List<String> column(Connection c, String sql) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Runs a statement that returns no rows. */
    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Size of the WAL of the database file {@code db} (its {@code -wal} file), 0 when there is none. */
    public static long walBytes(Path db) {
        try {
            return java.nio.file.Files.size(Path.of(db + "-wal"));
        } catch (java.io.IOException none) {
            return 0;
        }
    }
}
