package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;

/** Reads one row by primary key: the cheapest query, so overhead shows. */
class PointSelectWorkload implements Workload {

    static final int ROWS = 10_000;

    @Override
    public String name() {
        return "point-select";
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        Workload.exec(c, "DROP TABLE IF EXISTS item",
                "CREATE TABLE item(id INTEGER PRIMARY KEY, hits INTEGER NOT NULL)",
                Workload.seedRows("item", ROWS, "0"));
    }

    @Override
    public int runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        read(c, 1 + random.nextInt(ROWS));
        return 0;
    }

    static void read(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hits FROM item WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("row " + id + " missing");
                }
            }
        }
    }

    @Override
    public String verify(Connection c, long acknowledged) throws SQLException {
        return Workload.expectRows("updates", Workload.scalar(c, "SELECT sum(hits) FROM item"), acknowledged);
    }
}
