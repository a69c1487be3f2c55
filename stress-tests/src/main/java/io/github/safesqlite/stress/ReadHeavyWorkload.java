package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;

/** 95% point selects, 5% autocommit updates that count a hit; the hit total equals the acknowledged updates. */
final class ReadHeavyWorkload extends PointSelectWorkload {

    @Override
    public String name() {
        return "read-heavy";
    }

    @Override
    public int runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        int id = 1 + random.nextInt(ROWS);
        if (random.nextInt(100) >= 5) {
            read(c, id);
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE item SET hits = hits + 1 WHERE id = ?")) {
            ps.setInt(1, id);
            return ps.executeUpdate();
        }
    }
}
