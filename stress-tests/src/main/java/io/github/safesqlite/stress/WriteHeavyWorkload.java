package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;

/** Autocommit inserts, one row each; every acknowledged (thread, seq) must be in the table afterwards. */
class WriteHeavyWorkload implements Workload {

    @Override
    public String name() {
        return "write-heavy";
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        Workload.exec(c, "DROP TABLE IF EXISTS event", "CREATE TABLE event(thread INTEGER NOT NULL, "
                + "seq INTEGER NOT NULL, payload TEXT, PRIMARY KEY (thread, seq))");
    }

    @Override
    public int runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event(thread, seq, payload) VALUES (?, ?, ?)")) {
            ps.setInt(1, thread);
            ps.setLong(2, sequence);
            ps.setString(3, "payload-" + random.nextInt(1_000_000));
            return ps.executeUpdate();
        }
    }

    @Override
    public String verify(Connection c, long acknowledged) throws SQLException {
        return Workload.expectRows("inserts", Workload.scalar(c, "SELECT count(*) FROM event"), acknowledged);
    }
}
