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
 * One database file and the three ways to reach it that the benchmarks compare: plain sqlite-jdbc
 * (a connection per thread), HikariCP over sqlite-jdbc (pool of 10), and safesqlite, all with WAL,
 * synchronous=NORMAL and busy_timeout=5000.
 */
final class Fixture implements AutoCloseable {

    static final int ROWS = 10_000;
    static final int ACCOUNTS = 1_000;

    final Path file;
    final String impl;
    private HikariDataSource hikari;
    private SafeSqliteDataSource safe;

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
            case "plain" -> { }
            case "hikari" -> {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl("jdbc:sqlite:" + file);
                config.setMaximumPoolSize(10);
                config.addDataSourceProperty("journal_mode", "WAL");
                config.addDataSourceProperty("busy_timeout", "5000");
                config.addDataSourceProperty("synchronous", "NORMAL");
                hikari = new HikariDataSource(config);
            }
            case "safe" -> safe = SafeSqliteDataSource.builder().path(file.toString()).set("synchronous", synchronous)
                    .dataSource();
            case "safe-no-metrics" -> safe = SafeSqliteDataSource.builder().path(file.toString()).metrics(false).dataSource();
            // Without sqlite-jdbc's key after every INSERT: what reading it costs.
            case "safe-no-keys" -> safe = SafeSqliteDataSource.builder().path(file.toString())
                    .set("jdbc.get_generated_keys", "false").dataSource();
            default -> throw new IllegalArgumentException(impl);
        }
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
        if (hikari != null) {
            hikari.close();
        }
        if (safe != null) {
            safe.close();
        }
    }
}
