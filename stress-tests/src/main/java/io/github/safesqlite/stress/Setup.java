package io.github.safesqlite.stress;

import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** How the workload reaches the database file. */
abstract class Setup implements AutoCloseable {

    final String name;

    Setup(String name) {
        this.name = name;
    }

    /** A connection for one worker thread, held for the whole run. */
    abstract Connection connect() throws SQLException;

    @Override
    public void close() {
    }

    static Setup named(String name, Path file) throws SQLException {
        return switch (name) {
            case "plain" -> new Plain(file);
            case "safe" -> new Safe("safe", file, true);
            case "safe-no-metrics" -> new Safe("safe-no-metrics", file, false);
            default -> throw new IllegalArgumentException("unknown set-up '" + name
                    + "'; known: plain, safe, safe-no-metrics");
        };
    }

    /** sqlite-jdbc, one connection per thread, WAL, synchronous=NORMAL, busy_timeout=5000. */
    static final class Plain extends Setup {
        private final Path file;

        Plain(Path file) {
            super("plain");
            this.file = file;
        }

        @Override
        Connection connect() throws SQLException {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
            }
            return c;
        }
    }

    /** SafeSqliteDataSource with its defaults (optionally with metrics off). */
    static final class Safe extends Setup {
        private final SafeSqliteDataSource ds;

        Safe(String name, Path file, boolean metrics) throws SQLException {
            super(name);
            ds = SafeSqliteDataSource.builder().path(file.toString()).metrics(metrics).dataSource();
        }

        @Override
        Connection connect() throws SQLException {
            return ds.getConnection();
        }

        @Override
        public void close() {
            ds.close();
        }
    }
}
