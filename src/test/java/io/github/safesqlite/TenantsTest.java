package io.github.safesqlite;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.engine.EngineRegistry;
import io.github.safesqlite.testing.Await;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database per tenant: hundreds of files opened through the driver cost no thread each, and a
 * database left idle closes its files and opens again, transparently, at its next connection.
 */
class TenantsTest {

    @TempDir
    Path dir;

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void hundredsOfDatabasesCostNoThreadEachAndIdleOnesCloseTheirFiles() throws Exception {
        int tenants = 200;
        for (int i = 0; i < Math.min(5, tenants); i++) { // the shared background threads start with the first ones
            touch(i);
        }
        int threadsBefore = threads();
        long filesBefore = openFiles();
        for (int i = 5; i < tenants; i++) {
            touch(i);
        }
        int threadsAfter = threads();
        assertTrue(threadsAfter - threadsBefore <= 4, "threads went from " + threadsBefore + " to " + threadsAfter
                + " for " + (tenants - 5) + " more databases");
        // idle_timeout is 100 ms: every tenant closes its files once idle
        Await.until("idle databases closed", () -> {
            for (int i = 0; i < tenants; i++) {
                if (isOpen(i)) {
                    return false;
                }
            }
            return true;
        });
        long filesAfter = openFiles();
        assertTrue(filesAfter <= filesBefore + 10, "open files went from " + filesBefore + " to " + filesAfter);
        // ... and opens again, with its data, at the next connection
        try (Connection c = DriverManager.getConnection(url(7))) {
            assertEquals(1, longValue(c, "SELECT count(*) FROM t"));
        }
    }

    private String url(int tenant) {
        return "jdbc:safesqlite:" + dir.resolve("tenant-" + tenant + ".db") + "?idle_timeout=100&readers=1";
    }

    private boolean isOpen(int tenant) {
        try {
            return EngineRegistry.find(JdbcUrl.apply(url(tenant), null, SafeSqliteConfig.builder()).build()) != null;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private void touch(int tenant) throws Exception {
        try (Connection c = DriverManager.getConnection(url(tenant))) {
            exec(c, "CREATE TABLE t(x)");
            exec(c, "INSERT INTO t VALUES (1)");
            assertEquals(1, longValue(c, "SELECT count(*) FROM t"));
        }
    }

    @Test
    void aDatabaseBackInUseBeforeItsIdleTimeoutStaysOpen() throws Exception {
        String url = "jdbc:safesqlite:" + dir.resolve("busy-tenant.db") + "?idle_timeout=3600000";
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "CREATE TABLE t(x)");
        }
        SafeSqliteConfig config = JdbcUrl.apply(url, null, SafeSqliteConfig.builder()).build();
        var engine = EngineRegistry.find(config);
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "INSERT INTO t VALUES (1)");
            assertTrue(engine == EngineRegistry.find(config), "the same engine: it did not close in between");
        }
        SafeSqliteDriver.close(url);
    }
}
