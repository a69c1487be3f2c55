package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/** Reads one row by primary key with a reused PreparedStatement: the cheapest query, so overhead shows. */
final class PointSelectWorkload implements Workload {

    static final int ROWS = 10_000;

    private final ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();

    @Override
    public String name() {
        return "point-select";
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            st.executeUpdate("INSERT INTO item(name) SELECT 'item-' || i FROM (WITH RECURSIVE n(i) AS "
                    + "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ") SELECT i FROM n)");
        }
    }

    @Override
    public boolean runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        PreparedStatement ps = statements.get();
        if (ps == null || ps.getConnection() != c) {
            ps = c.prepareStatement("SELECT name FROM item WHERE id = ?");
            statements.set(ps);
        }
        ps.setInt(1, 1 + random.nextInt(ROWS));
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("row missing");
            }
            rs.getString(1);
        }
        return false; // reads acknowledge no write
    }

    @Override
    public String verify(Connection c, long acknowledged) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM item")) {
            rs.next();
            return rs.getLong(1) == ROWS ? "" : "rows changed during a read-only workload";
        }
    }
}
