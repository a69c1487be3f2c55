package example.libraries;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import io.github.safesqlite.SafeSqliteDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway migrates through safesqlite: it recognises SQLite by the database product name. */
class FlywayTest {

    @TempDir
    Path dir;

    @Test
    void migratesThroughASafesqliteUrl() throws Exception {
        String url = "jdbc:safesqlite:" + dir.resolve("by-url.db");
        MigrateResult result = Flyway.configure().dataSource(url, null, null).load().migrate();
        assertEquals(2, result.migrationsExecuted);
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM account")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
    }

    @Test
    void migratesThroughASafesqliteDataSource() throws Exception {
        String url = "jdbc:safesqlite:" + dir.resolve("flyway.db");
        try (SafeSqliteDataSource ds = new SafeSqliteDataSource()) {
            ds.setUrl(url);
            MigrateResult result = Flyway.configure().dataSource(ds).load().migrate();
            assertEquals(2, result.migrationsExecuted);
            assertEquals(0, Flyway.configure().dataSource(ds).load().migrate().migrationsExecuted,
                    "a second run finds nothing to do");
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sum(balance) FROM account")) {
            rs.next();
            assertEquals(200, rs.getInt(1));
        }
    }
}
