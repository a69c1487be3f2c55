package io.github.safesqlite.flyway;

import java.sql.Connection;
import org.flywaydb.core.internal.database.sqlite.SQLiteDatabaseType;

/**
 * Lets Flyway accept {@code jdbc:safesqlite:} URLs (Flyway's command line, {@code spring.flyway.url},
 * {@code Flyway.configure().dataSource(url, user, password)}): Flyway picks a database type by URL
 * prefix to find the driver, and otherwise knows only {@code jdbc:sqlite:}. Once connected, Flyway
 * recognises SQLite by the product name and uses its own SQLite support as usual.
 *
 * <p>Registered through {@code META-INF/services/org.flywaydb.core.extensibility.Plugin}; only
 * Flyway loads it, so applications without Flyway never touch it (Flyway is an optional dependency).
 */
public class SafeSqliteFlywayDatabaseType extends SQLiteDatabaseType {

    /** Public for Flyway's plugin loader. */
    public SafeSqliteFlywayDatabaseType() {
    }

    @Override
    public String getName() {
        return "SQLite (safesqlite)";
    }

    @Override
    public boolean handlesJDBCUrl(String url) {
        return url.startsWith("jdbc:safesqlite:");
    }

    @Override
    public String getDriverClass(String url, ClassLoader classLoader) {
        return "io.github.safesqlite.SafeSqliteDriver";
    }

    /** Connections are recognised by Flyway's own SQLite type, by product name. */
    @Override
    public boolean handlesDatabaseProductNameAndVersion(String databaseProductName, String databaseProductVersion,
            Connection connection) {
        return false;
    }
}
