package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;

/**
 * Read-then-write money transfers: SELECT balance, two UPDATEs and a ledger row, COMMIT. The total
 * never changes, and the ledger holds one row per acknowledged transfer.
 */
final class TransferWorkload implements Workload {

    static final int ACCOUNTS = 1_000;
    static final long START = 1_000;

    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        Workload.exec(c, "DROP TABLE IF EXISTS account", "DROP TABLE IF EXISTS ledger",
                "CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)",
                "CREATE TABLE ledger(thread INTEGER NOT NULL, seq INTEGER NOT NULL, amount INTEGER NOT NULL, "
                        + "PRIMARY KEY (thread, seq))",
                Workload.seedRows("account", ACCOUNTS, Long.toString(START)));
    }

    @Override
    public int runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        int from = 1 + random.nextInt(ACCOUNTS);
        int to = 1 + random.nextInt(ACCOUNTS);
        long amount = 1 + random.nextInt(50);
        return Workload.inTransaction(c, () -> {
            try (PreparedStatement read = c.prepareStatement("SELECT balance FROM account WHERE id = ?");
                 PreparedStatement move = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?");
                 PreparedStatement log = c.prepareStatement("INSERT INTO ledger(thread, seq, amount) VALUES (?, ?, ?)")) {
                read.setInt(1, from);
                long balance;
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    balance = rs.getLong(1);
                }
                if (balance >= amount) {
                    move.setLong(1, -amount);
                    move.setInt(2, from);
                    move.executeUpdate();
                    move.setLong(1, amount);
                    move.setInt(2, to);
                    move.executeUpdate();
                }
                log.setInt(1, thread);
                log.setLong(2, sequence);
                log.setLong(3, balance >= amount ? amount : 0);
                log.executeUpdate();
                return 1;
            }
        });
    }

    @Override
    public String verify(Connection c, long acknowledged) throws SQLException {
        long total = Workload.scalar(c, "SELECT sum(balance) FROM account");
        if (total != ACCOUNTS * START) {
            return "money not conserved: total " + total + ", expected " + ACCOUNTS * START;
        }
        if (Workload.scalar(c, "SELECT min(balance) FROM account") < 0) {
            return "an account went negative";
        }
        return Workload.expectRows("transfers", Workload.scalar(c, "SELECT count(*) FROM ledger"), acknowledged);
    }
}
