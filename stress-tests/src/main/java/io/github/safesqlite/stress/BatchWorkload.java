package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;

/** Bulk loads: 200 rows per executeBatch in one transaction; every acknowledged row must be present. */
final class BatchWorkload implements Workload {

    static final int ROWS_PER_BATCH = 200;

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        Workload.exec(c, "DROP TABLE IF EXISTS reading", "CREATE TABLE reading(thread INTEGER NOT NULL, "
                + "seq INTEGER NOT NULL, n INTEGER NOT NULL, value REAL, PRIMARY KEY (thread, seq, n))");
    }

    @Override
    public int runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        return Workload.inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reading(thread, seq, n, value) VALUES (?, ?, ?, ?)")) {
                for (int n = 0; n < ROWS_PER_BATCH; n++) {
                    ps.setInt(1, thread);
                    ps.setLong(2, sequence);
                    ps.setInt(3, n);
                    ps.setDouble(4, random.nextDouble());
                    ps.addBatch();
                }
                ps.executeBatch();
                return ROWS_PER_BATCH;
            }
        });
    }

    @Override
    public String verify(Connection c, long acknowledged) throws SQLException {
        return Workload.expectRows("rows", Workload.scalar(c, "SELECT count(*) FROM reading"), acknowledged);
    }
}
