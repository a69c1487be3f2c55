package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;

/**
 * Every operation a transaction that is not marked read-only, as an ORM runs them (autocommit off,
 * {@code setReadOnly} never called): 95% read two rows and commit, 5% read a row and count a hit on
 * it. The hit total equals the acknowledged updates.
 */
final class ReadMostlyTransactionsWorkload extends PointSelectWorkload {

    @Override
    public String name() {
        return "read-mostly-tx";
    }

    @Override
    public int runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        int id = 1 + random.nextInt(ROWS);
        boolean writes = random.nextInt(100) < 5;
        int other = 1 + random.nextInt(ROWS);
        return Workload.inTransaction(c, () -> {
            read(c, id);
            if (!writes) {
                read(c, other);
                return 0;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE item SET hits = hits + 1 WHERE id = ?")) {
                ps.setInt(1, id);
                return ps.executeUpdate();
            }
        });
    }
}
