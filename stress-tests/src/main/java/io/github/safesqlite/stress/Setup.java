package io.github.safesqlite.stress;

import com.codahale.metrics.MetricRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** How the workload reaches the database. */
abstract class Setup implements AutoCloseable {

    /** The PRAGMAs a careful plain sqlite-jdbc user sets, so the comparison is fair. */
    static final String[] PLAIN_PRAGMAS = {"PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"};

    final String name;

    Setup(String name) {
        this.name = name;
    }

    /** A connection: for one operation when {@link #perOperation()}, else for one worker thread's whole run. */
    abstract Connection connect() throws SQLException;

    /** Pools and safesqlite hand out cheap connections, taken per operation as applications do. */
    boolean perOperation() {
        return false;
    }

    /** Busy or locked failures retried behind the application's back, or -1 when the set-up cannot tell. */
    long retries() {
        return -1;
    }

    @Override
    public void close() {
    }

    static void check(String name) {
        if (!name.matches("plain|hikari|safe|safe-no-metrics|url")) {
            throw new IllegalArgumentException("unknown set-up '" + name + "'; known: plain, hikari, safe, safe-no-metrics");
        }
    }

    static Setup named(String name, Path file, String url) throws SQLException {
        return named(name, file, url, "");
    }

    /** {@code safeSettings}: {@code key=value&...} applied to the safe set-ups. */
    static Setup named(String name, Path file, String url, String safeSettings) throws SQLException {
        return switch (name) {
            case "plain" -> new Plain(file);
            case "hikari" -> new Hikari(file);
            case "safe" -> new Safe("safe", file, true, safeSettings);
            case "safe-no-metrics" -> new Safe("safe-no-metrics", file, false, safeSettings);
            case "url" -> new Url(url);
            default -> throw new IllegalArgumentException("unknown set-up " + name);
        };
    }

    static Connection plainConnection(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement st = c.createStatement()) {
            for (String pragma : PLAIN_PRAGMAS) {
                st.execute(pragma);
            }
        }
        return c;
    }

    /** sqlite-jdbc, one connection per thread. */
    static final class Plain extends Setup {
        private final String url;

        Plain(Path file) {
            super("plain");
            this.url = "jdbc:sqlite:" + file;
        }

        @Override
        Connection connect() throws SQLException {
            return plainConnection(url);
        }
    }

    /** HikariCP, a pool of 10 over sqlite-jdbc with the same PRAGMAs. */
    static final class Hikari extends Setup {
        private final HikariDataSource pool;

        Hikari(Path file) {
            super("hikari");
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:sqlite:" + file);
            config.setMaximumPoolSize(10);
            // sqlite-jdbc applies these properties as PRAGMAs on every connection it opens
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("busy_timeout", "5000");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("foreign_keys", "true");
            pool = new HikariDataSource(config);
        }

        @Override
        Connection connect() throws SQLException {
            return pool.getConnection();
        }

        @Override
        boolean perOperation() {
            return true;
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** SafeSqliteDataSource with its defaults (optionally with metrics off). */
    static final class Safe extends Setup {
        private final SafeSqliteDataSource ds;
        private final MetricRegistry registry = new MetricRegistry();

        Safe(String name, Path file, boolean metrics, String settings) throws SQLException {
            super(name);
            var builder = SafeSqliteDataSource.builder().path(file.toString()).metrics(metrics).metricRegistry(registry);
            for (String pair : settings.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    builder.set(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            ds = builder.dataSource();
        }

        @Override
        Connection connect() throws SQLException {
            return ds.getConnection();
        }

        @Override
        boolean perOperation() {
            return true;
        }

        @Override
        long retries() {
            return registry.getMeters().entrySet().stream().filter(e -> e.getKey().endsWith(".retries"))
                    .mapToLong(e -> e.getValue().getCount()).sum();
        }

        @Override
        public void close() {
            ds.close();
        }
    }

    /** Any JDBC URL, through DriverManager, one connection per thread. */
    static final class Url extends Setup {
        private final String url;

        Url(String url) {
            super("url");
            this.url = url;
        }

        @Override
        Connection connect() throws SQLException {
            return DriverManager.getConnection(url);
        }
    }
}
