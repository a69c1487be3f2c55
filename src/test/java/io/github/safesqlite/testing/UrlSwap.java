package io.github.safesqlite.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * The project's promise as a test: the same program, once through {@code jdbc:sqlite:} and once
 * through {@code jdbc:safesqlite:} with nothing else changed, observes the same things.
 */
public final class UrlSwap {

    /** What a program observes through one connection, written down as lines. */
    @FunctionalInterface
    public interface Observation {
        /** Runs the program's calls on {@code c} and returns what it saw. */
        List<String> on(Connection c) throws SQLException;
    }

    private UrlSwap() {
    }

    /**
     * Runs {@code observation} on plain sqlite-jdbc over {@code dir/plain-<name><query>} and on
     * safesqlite over {@code dir/<name><query>}, each through DriverManager with {@code properties}
     * (may be null), and asserts that both saw the same. Returns what safesqlite saw.
     */
    public static List<String> assertSameAsPlain(Path dir, String name, String query, Properties properties,
            Observation observation) throws SQLException {
        List<String> plain = observe("jdbc:sqlite:" + dir.resolve("plain-" + name) + query, properties, observation);
        List<String> ours = observe("jdbc:safesqlite:" + dir.resolve(name) + query, properties, observation);
        assertEquals(plain, ours, "what a program observes through jdbc:safesqlite: differs from jdbc:sqlite:");
        return ours;
    }

    /** {@code observation} through a new connection to {@code url}. */
    public static List<String> observe(String url, Properties properties, Observation observation)
            throws SQLException {
        try (Connection c = properties == null ? DriverManager.getConnection(url)
                : DriverManager.getConnection(url, properties)) {
            return observation.on(c);
        }
    }
}
