package io.github.safesqlite.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * One database file and the ways to reach it that the benchmarks compare, all with WAL, the same
 * {@code synchronous} and busy_timeout=5000: plain sqlite-jdbc (a connection per thread), the same
 * through safesqlite's driver with only the URL changed ({@code safe-url}), HikariCP
 * over sqlite-jdbc (a pool of 10, or of 1: what a user builds to serialize writes), one plain
 * connection behind a fair lock ({@code locked}), and safesqlite (also with
 * {@code batch_transactions}: {@code safe-units}; through {@code inTransactionAsync}, waited for:
 * {@code safe-async}).
 */
final class Fixture implements AutoCloseable {

    static final int ROWS = 10_000;
    static final int ACCOUNTS = 1_000;

    final Path file;
    final String impl;
    private HikariDataSource hikari;
    private SafeSqliteDataSource safe;
    /** {@code locked}: the one connection, and the fair lock every operation takes. */
    private Connection shared;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock(true);

    /** One operation of a benchmark on a connection. */
    @FunctionalInterface
    interface Operation {
        int run(Connection c) throws SQLException;
    }

    /** {@code synchronous} of every set-up. */
    private final String synchronous;

    Fixture(String impl) throws Exception {
        this(impl, "NORMAL");
    }

    /** The set-up {@code impl} with {@code synchronous} (NORMAL or FULL) instead of NORMAL. */
    Fixture(String impl, String synchronous) throws Exception {
        this.impl = impl;
        this.synchronous = synchronous;
        this.file = Files.createTempDirectory("safesqlite-bench").resolve("bench.db");
        try (Connection c = plain(); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            st.executeUpdate("INSERT INTO item SELECT i, 'item-' || i FROM (WITH RECURSIVE n(i) AS (SELECT 1 "
                    + "UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ") SELECT i FROM n)");
            st.executeUpdate("CREATE TABLE account(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
            st.executeUpdate("INSERT INTO account SELECT i, 1000 FROM (WITH RECURSIVE n(i) AS (SELECT 1 "
                    + "UNION ALL SELECT i + 1 FROM n WHERE i < " + ACCOUNTS + ") SELECT i FROM n)");
            st.executeUpdate("CREATE TABLE event(id INTEGER PRIMARY KEY, payload TEXT)");
        }
        switch (impl) {
            case "plain", "safe-url" -> { } // a connection per thread, opened by the benchmark (own())
            case "hikari" -> hikari = hikari(10);
            case "hikari1" -> hikari = hikari(1);
            case "locked" -> shared = plain();
            case "safe", "safe-async" -> safe = SafeSqliteDataSource.builder().path(file.toString())
                    .set("synchronous", synchronous).dataSource();
            case "safe-units" -> safe = SafeSqliteDataSource.builder().path(file.toString())
                    .set("synchronous", synchronous).batchTransactions(true).dataSource();
            case "safe-no-metrics" -> safe = SafeSqliteDataSource.builder().path(file.toString()).metrics(false).dataSource();
            // Without sqlite-jdbc's key after every INSERT: what reading it costs.
            case "safe-no-keys" -> safe = SafeSqliteDataSource.builder().path(file.toString())
                    .set("jdbc.get_generated_keys", "false").dataSource();
            default -> throw new IllegalArgumentException(impl);
        }
    }

    private HikariDataSource hikari(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setMaximumPoolSize(size);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("busy_timeout", "5000");
        config.addDataSourceProperty("synchronous", synchronous);
        return new HikariDataSource(config);
    }

    /**
     * Runs {@code op} the way an application of this set-up would: in a transaction that commits,
     * or in autocommit mode. On a connection borrowed for the operation (pools, safesqlite), on the
     * locked connection, or as a {@code ds.inTransaction} unit ({@code safe-units}) or an
     * {@code inTransactionAsync} one waited for ({@code safe-async}). Plain keeps a
     * connection per thread, so it is the caller's.
     */
    int run(boolean transaction, Operation op) throws SQLException {
        if (shared != null) {
            lock.lock();
            try {
                return transaction ? inTransaction(shared, op) : op.run(shared);
            } finally {
                lock.unlock();
            }
        }
        if (transaction && impl.equals("safe-units")) {
            return safe.inTransaction(op::run);
        }
        if (transaction && impl.equals("safe-async")) {
            return safe.inTransactionAsync(op::run).join(); // each caller waits for its own unit
        }
        try (Connection c = pool().getConnection()) {
            return transaction ? inTransaction(c, op) : op.run(c);
        }
    }

    /** Runs {@code op} in a transaction on {@code c}: commits, or rolls back and rethrows. */
    static int inTransaction(Connection c, Operation op) throws SQLException {
        c.setAutoCommit(false);
        try {
            int n = op.run(c);
            c.commit();
            return n;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * True where each thread holds its own connection: plain sqlite-jdbc, and safesqlite reached by
     * swapping the URL alone ({@code safe-url}), as a program written for plain would use it.
     */
    boolean perThread() {
        return impl.equals("plain") || impl.equals("safe-url");
    }

    /** A thread's own connection for a {@link #perThread} set-up. */
    Connection own() throws SQLException {
        if (impl.equals("safe-url")) {
            return DriverManager.getConnection("jdbc:safesqlite:" + file + "?synchronous=" + synchronous);
        }
        return plain();
    }

    /** safesqlite, for what only it offers ({@code executeAsync}). */
    SafeSqliteDataSource safe() {
        return safe;
    }

    /** A new plain sqlite-jdbc connection with the same PRAGMAs. */
    Connection plain() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("PRAGMA synchronous = " + synchronous);
            st.execute("PRAGMA busy_timeout = 5000");
        }
        return c;
    }

    /** Where per-operation connections come from, or null for plain (a connection held per thread). */
    DataSource pool() {
        return hikari != null ? hikari : safe;
    }

    /** A connection to hold for a whole benchmark thread. */
    Connection hold() throws SQLException {
        return pool() == null ? plain() : pool().getConnection();
    }

    @Override
    public void close() {
        if (shared != null) {
            try {
                shared.close();
            } catch (SQLException ignored) {
                // the end of a benchmark; nothing depends on it
            }
        }
        if (hikari != null) {
            hikari.close();
        }
        if (safe != null) {
            safe.close();
        }
    }
}
