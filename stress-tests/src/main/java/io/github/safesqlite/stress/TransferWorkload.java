package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/** Read-then-write money transfers: SELECT balance, two UPDATEs, COMMIT. The total never changes. */
final class TransferWorkload implements Workload {

    static final int ACCOUNTS = 1_000;
    static final long START = 1_000;

    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
            st.executeUpdate("INSERT INTO account(balance) SELECT " + START + " FROM (WITH RECURSIVE n(i) AS "
                    + "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ACCOUNTS + ") SELECT i FROM n)");
        }
    }

    @Override
    public boolean runOnce(Connection c, Random random, int thread, long sequence) throws SQLException {
        int from = 1 + random.nextInt(ACCOUNTS);
        int to = 1 + random.nextInt(ACCOUNTS);
        long amount = 1 + random.nextInt(50);
        c.setAutoCommit(false);
        try (PreparedStatement read = c.prepareStatement("SELECT balance FROM account WHERE id = ?");
             PreparedStatement move = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
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
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    public String verify(Connection c, long acknowledged) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(balance), min(balance) FROM account")) {
            rs.next();
            long total = rs.getLong(1);
            if (total != ACCOUNTS * START) {
                return "money not conserved: total " + total + ", expected " + ACCOUNTS * START;
            }
            if (rs.getLong(2) < 0) {
                return "an account went negative";
            }
            return "";
        }
    }
}
