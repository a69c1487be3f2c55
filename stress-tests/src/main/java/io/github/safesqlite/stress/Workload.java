package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Random;

/** A named kind of traffic: its schema, one operation, and the invariant that must hold afterwards. */
interface Workload {

    String name();

    /** Creates the schema and the starting data. */
    void setUp(Connection c) throws SQLException;

    /**
     * Runs one operation.
     *
     * @return true when it was acknowledged (committed); false when it chose to do nothing
     */
    boolean runOnce(Connection c, Random random, int thread, long sequence) throws SQLException;

    /** Checks the workload's invariant and that every acknowledged write is present; returns problems found. */
    String verify(Connection c, long acknowledged) throws SQLException;

    static Workload named(String name) {
        return switch (name) {
            case "transfer" -> new TransferWorkload();
            case "write-heavy" -> new WriteHeavyWorkload();
            case "point-select" -> new PointSelectWorkload();
            default -> throw new IllegalArgumentException("unknown workload '" + name
                    + "'; known: transfer, write-heavy, point-select");
        };
    }
}
