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

    /** One operation of a workload on a connection. */
    @FunctionalInterface
    interface Operation {
        int run(Connection c) throws SQLException;
    }

    /** Runs one operation on a connection of its own, taken per operation ({@link #perOperation()}). */
    int operation(Operation op) throws SQLException {
        try (Connection c = connect()) {
            return op.run(c);
        }
    }

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
        if (!name.matches("plain|hikari|hikari1|locked|safe|safe-units|safe-async|safe-optimistic|safe-no-metrics|url")) {
            throw new IllegalArgumentException("unknown set-up '" + name + "'; known: plain, hikari, hikari1, locked, "
                    + "safe, safe-units, safe-async, safe-optimistic, safe-no-metrics");
        }
    }

    static Setup named(String name, Path file, String url) throws SQLException {
        return named(name, file, url, "");
    }

    /** {@code safeSettings}: {@code key=value&...} applied to the safe set-ups. */
    static Setup named(String name, Path file, String url, String safeSettings) throws SQLException {
        return switch (name) {
            case "plain" -> new Plain(file);
            case "hikari" -> new Hikari("hikari", file, 10);
            case "hikari1" -> new Hikari("hikari1", file, 1);
            case "locked" -> new Locked(file);
            case "safe" -> new Safe("safe", file, true, safeSettings);
            case "safe-units" -> new Safe("safe-units", file, true, with("batch_transactions=true", safeSettings));
            case "safe-async" -> new Safe("safe-async", file, true, safeSettings);
            case "safe-optimistic" -> new Safe("safe-optimistic", file, true,
                    with("optimistic_transactions=true", safeSettings));
            case "safe-no-metrics" -> new Safe("safe-no-metrics", file, false, safeSettings);
            case "url" -> new Url(url);
            default -> throw new IllegalArgumentException("unknown set-up " + name);
        };
    }

    private static String with(String setting, String settings) {
        return settings.isEmpty() ? setting : setting + "&" + settings;
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

    /**
     * What a user builds instead of safesqlite: one plain connection behind a fair lock, taken for
     * each operation and given back when the operation closes its connection.
     */
    static final class Locked extends Setup {
        private final Connection shared;
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock(true);

        Locked(Path file) throws SQLException {
            super("locked");
            shared = plainConnection("jdbc:sqlite:" + file);
        }

        @Override
        Connection connect() {
            lock.lock();
            boolean[] closed = {false};
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            if (!closed[0]) {
                                closed[0] = true;
                                if (!shared.getAutoCommit()) {
                                    shared.rollback();
                                    shared.setAutoCommit(true);
                                }
                                lock.unlock();
                            }
                            return null;
                        }
                        if (method.getName().equals("isClosed")) {
                            return closed[0];
                        }
                        try {
                            return method.invoke(shared, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        boolean perOperation() {
            return true;
        }

        @Override
        public void close() {
            try {
                shared.close();
            } catch (SQLException ignored) {
                // closing at the end of a run; nothing depends on it
            }
        }
    }

    /** HikariCP over sqlite-jdbc with the same PRAGMAs: a pool of 10, or of 1 (one writer, serialized by the pool). */
    static final class Hikari extends Setup {
        private final HikariDataSource pool;

        Hikari(String name, Path file, int size) {
            super(name);
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:sqlite:" + file);
            config.setMaximumPoolSize(size);
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

    /** SafeSqliteDataSource with its defaults (optionally with metrics off, or batching units of work). */
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
            // Open the engine now (writer, profile, first reader), not inside the measured window: on a
            // busy machine a child JVM's first connection can outlast a short run's warm-up.
            ds.getConnection().close();
        }

        @Override
        Connection connect() throws SQLException {
            return ds.getConnection();
        }

        @Override
        boolean perOperation() {
            return true;
        }

        /**
         * safe-units: each operation is one {@code ds.inTransaction} unit, batched with the units of
         * other threads queued at the same time; the workload's own transaction joins it. safe-async:
         * the same unit through {@code ds.inTransactionAsync}, its future waited for (acknowledged
         * when it completes, which is after its COMMIT).
         */
        @Override
        int operation(Operation op) throws SQLException {
            if (name.equals("safe-units")) {
                return ds.inTransaction(op::run);
            }
            if (name.equals("safe-async")) {
                try {
                    return ds.inTransactionAsync(op::run).join();
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof SQLException failure) {
                        throw failure;
                    }
                    throw e;
                }
            }
            return super.operation(op);
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
