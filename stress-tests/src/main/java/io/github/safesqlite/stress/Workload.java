package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/** A named kind of traffic: its schema, one operation, and the invariant that must hold afterwards. */
interface Workload {

    String name();

    /** Creates the schema and the starting data, replacing what an earlier run left. */
    void setUp(Connection c) throws SQLException;

    /**
     * Runs one operation.
     *
     * @return how many writes it acknowledged (committed): rows, transfers, updates; 0 for reads
     */
    int runOnce(Connection c, Random random, int thread, long sequence) throws SQLException;

    /**
     * Checks the invariant and that every acknowledged write is present.
     *
     * @return "" when all is well, else what is wrong
     */
    String verify(Connection c, long acknowledged) throws SQLException;

    /** True when thread {@code thread} does not loop on {@link #runOnce} but holds a long read transaction. */
    default boolean isLongReader(int thread) {
        return false;
    }

    static Workload named(String name) {
        return switch (name) {
            case "transfer" -> new TransferWorkload();
            case "write-heavy" -> new WriteHeavyWorkload();
            case "read-heavy" -> new ReadHeavyWorkload();
            case "read-mostly-tx" -> new ReadMostlyTransactionsWorkload();
            case "point-select" -> new PointSelectWorkload();
            case "batch" -> new BatchWorkload();
            case "long-reader" -> new LongReaderWorkload();
            case "multi-process" -> new MultiProcessWorkload();
            default -> throw new IllegalArgumentException("unknown workload '" + name + "'; known: transfer, "
                    + "write-heavy, read-heavy, read-mostly-tx, point-select, batch, long-reader, multi-process, tenants");
        };
    }

    /** Work done inside one transaction; returns what it acknowledged. */
    @FunctionalInterface
    interface TransactionWork {
        int run() throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction on {@code c}: commits, or rolls back and rethrows; autocommit
     * again after. On a connection already in a transaction (a {@code ds.inTransaction} unit's) the
     * work joins it, and its owner commits.
     */
    static int inTransaction(Connection c, TransactionWork work) throws SQLException {
        if (!c.getAutoCommit()) {
            return work.run();
        }
        c.setAutoCommit(false);
        try {
            int acknowledged = work.run();
            c.commit();
            return acknowledged;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Runs each statement (schema set-up). */
    static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.executeUpdate(s);
            }
        }
    }

    /** The first column of the first row. */
    static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** "" when {@code actual == expected}, else a lost-write message. */
    static String expectRows(String what, long actual, long expected) {
        return actual == expected ? "" : "acknowledged " + expected + " " + what + " but found " + actual
                + (actual < expected ? " (acknowledged writes lost)" : " (unacknowledged writes present)");
    }

    /** Inserts 1..n into a fresh table {@code name(id, value)} with {@code value} = {@code initial}. */
    static String seedRows(String table, int n, String initial) {
        return "INSERT INTO " + table + " SELECT i, " + initial + " FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                + "SELECT i + 1 FROM n WHERE i < " + n + ") SELECT i FROM n)";
    }
}
