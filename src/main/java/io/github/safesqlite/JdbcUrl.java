package io.github.safesqlite;

import io.github.safesqlite.engine.SqliteJdbcOptions;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Parses {@code jdbc:safesqlite:<path>[?key=value&...]} and driver properties into settings. Every
 * key must be a safesqlite setting, one of sqlite-jdbc's own options (which pass through to every
 * physical connection, or fail naming a conflict with the profile), or JDBC's {@code user} and
 * {@code password}, which mean nothing to SQLite. Any other key fails rather than being ignored.
 */
final class JdbcUrl {

    static final String PREFIX = "jdbc:safesqlite:";

    private JdbcUrl() {
    }

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /** Applies {@code url} and {@code properties} to {@code builder}. */
    static SafeSqliteConfig.Builder apply(String url, Properties properties, SafeSqliteConfig.Builder builder)
            throws SQLException {
        if (!accepts(url)) {
            throw new SQLException("not a safesqlite URL: '" + url + "'; expected " + PREFIX + "<path>[?key=value&...]",
                    "08001");
        }
        String rest = url.substring(PREFIX.length());
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> settings = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new SQLException("URL parameter '" + pair + "' in " + url + " must be key=value", "08001");
                }
                // As in sqlite-jdbc, a key given twice takes its last value.
                settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
            }
        }
        if (properties != null) {
            // As in sqlite-jdbc, connection properties override the URL: new SQLiteConfig().toProperties()
            // always carries busy_timeout, for instance, and must not make a URL that sets it fail.
            for (String key : properties.stringPropertyNames()) {
                settings.put(key, properties.getProperty(key));
            }
        }
        path = DatabaseLocation.path(path, settings);
        builder.path(path);
        SafeSqliteConfig.checkPathSyntax(path);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (SqliteJdbcOptions.STANDARD_JDBC.contains(e.getKey())) {
                continue; // DriverManager and pools pass them; SQLite has no users
            }
            try {
                builder.set(e.getKey(), e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new SQLException(bad.getMessage() + " (in " + url + ")", "08001", bad);
            }
        }
        return builder;
    }
}
