package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/** Autocommit inserts, one row each; every acknowledged (thread, seq) must be in the table afterwards. */
final class WriteHeavyWorkload implements Workload {

    @Override
    public String name() {
        return "write-heavy";
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE event(thread INTEGER NOT NULL, seq INTEGER NOT NULL, payload TEXT, "
                    + "PRIMARY KEY (thread, seq))");
        }
    }

    @Override
    public boolean runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event(thread, seq, payload) VALUES (?, ?, ?)")) {
            ps.setInt(1, thread);
            ps.setLong(2, sequence);
            ps.setString(3, "payload-" + random.nextInt(1_000_000));
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public String verify(Connection c, long acknowledged) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM event")) {
            rs.next();
            long rows = rs.getLong(1);
            return rows == acknowledged ? "" : "acknowledged " + acknowledged + " inserts but found " + rows + " rows";
        }
    }
}
