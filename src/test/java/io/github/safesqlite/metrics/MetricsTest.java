package io.github.safesqlite.metrics;

import static io.github.safesqlite.Databases.exec;
import static io.github.safesqlite.Databases.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SharedMetricRegistries;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metric names, what they count, their bound, where they go, and the slow-query log. */
class MetricsTest {

    @TempDir
    Path dir;

    @Test
    void queriesAreTimedUnderNormalizedNamesWithoutTheirValues() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("Shop.db").toString())
                .metricRegistry(registry).dataSource(); Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)");
            exec(c, "INSERT INTO item(name) VALUES ('secret-1')");
            exec(c, "INSERT INTO item(name) VALUES ('secret-2')");
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM item WHERE id = ?")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setInt(1, 12345 + i);
                    ps.executeQuery().close();
                }
            }
            assertEquals(2, registry.timer("safesqlite.shop.query.INSERT INTO item(name) VALUES (?)").getCount());
            assertEquals(3, registry.timer("safesqlite.shop.query.SELECT name FROM item WHERE id = ?").getCount());
            for (String name : registry.getNames()) {
                assertTrue(name.startsWith("safesqlite.shop."), name);
                assertFalse(name.contains("secret") || name.contains("12345"), "a value leaked into " + name);
            }
            assertTrue(registry.timer("safesqlite.shop.gate.wait").getCount() >= 3, "writes waited for the gate");
            assertTrue(registry.timer("safesqlite.shop.gate.hold").getCount() >= 3, "and held it");
            assertEquals(3, registry.counter("safesqlite.shop.reader.loans").getCount(), "reads borrowed a reader");
            assertEquals(1, registry.timer("safesqlite.shop.reader.wait").getCount(),
                    "only the first read waited: it opened the reader, the others found it idle");
            Set<String> gauges = registry.getGauges().keySet();
            assertTrue(gauges.containsAll(Set.of("safesqlite.shop.gate.queued", "safesqlite.shop.readers.in-use",
                    "safesqlite.shop.readers.idle")), gauges.toString());
            assertEquals(1, registry.getGauges().get("safesqlite.shop.readers.idle").getValue());
            c.setAutoCommit(false);
            exec(c, "DELETE FROM item");
            c.rollback();
            assertEquals(1, registry.meter("safesqlite.shop.rollbacks").getCount());
        }
        assertTrue(registry.getNames().isEmpty(), "closing removes the database's metrics: " + registry.getNames());
    }

    @Test
    void aReadThatFindsEveryReaderLentWaitsAndIsTimed() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("w.db").toString())
                .metricRegistry(registry).readers(1).dataSource();
                Connection holder = ds.getConnection(); Connection other = ds.getConnection()) {
            exec(holder, "CREATE TABLE item(id INTEGER PRIMARY KEY)");
            exec(holder, "INSERT INTO item VALUES (1), (2)");
            assertEquals(2, longValue(other, "SELECT count(*) FROM item")); // opens the only reader
            long waits = registry.timer("safesqlite.w.reader.wait").getCount();
            try (Statement st = holder.createStatement(); ResultSet open = st.executeQuery("SELECT id FROM item")) {
                assertTrue(open.next()); // the only reader stays lent to these open rows
                CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
                    try {
                        return longValue(other, "SELECT count(*) FROM item");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Await.until("the second read waits for the reader",
                        () -> registry.getGauges().get("safesqlite.w.readers.waiting").getValue().equals(1));
                assertFalse(read.isDone(), "the second read waits for the reader");
                open.close();
                assertEquals(2, read.get(10, TimeUnit.SECONDS));
            }
            assertEquals(waits + 1, registry.timer("safesqlite.w.reader.wait").getCount(), "the wait was timed");
            assertEquals(3, registry.counter("safesqlite.w.reader.loans").getCount());
        }
    }

    @Test
    void distinctQueryNamesAreBoundedWithAnOverflowTimer() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("b.db").toString())
                .metricRegistry(registry).set("max_query_metrics", "3").dataSource(); Connection c = ds.getConnection()) {
            for (int i = 0; i < 10; i++) {
                longValue(c, "SELECT " + i + " AS c" + i); // ten shapes: the column alias differs
            }
            long perQuery = registry.getTimers().keySet().stream()
                    .filter(n -> n.startsWith("safesqlite.b.query.") && !n.endsWith(".other")).count();
            assertEquals(3, perQuery);
            assertEquals(7, registry.timer("safesqlite.b.query.other").getCount());
        }
    }

    @Test
    void theSharedRegistryIsTheDefaultAndCanBeNamedInTheUrl() throws Exception {
        // Stems no other test uses: engines opened through the driver stay open, and a name stays taken.
        try (Connection c = DriverManager.getConnection("jdbc:safesqlite:" + dir.resolve("default-registry.db"))) {
            longValue(c, "SELECT 1");
            assertEquals(1, SharedMetricRegistries.getOrCreate("safesqlite")
                    .timer("safesqlite.default-registry.query.SELECT ?").getCount());
        }
        try (Connection c = DriverManager.getConnection("jdbc:safesqlite:" + dir.resolve("named-registry.db")
                + "?metrics_registry=my-app")) {
            longValue(c, "SELECT 1");
            assertEquals(1, SharedMetricRegistries.getOrCreate("my-app").timer("safesqlite.named-registry.query.SELECT ?")
                    .getCount());
        }
    }

    @Test
    void metricsCanBeSwitchedOff() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("off.db").toString())
                .metricRegistry(registry).metrics(false).dataSource(); Connection c = ds.getConnection()) {
            longValue(c, "SELECT 1");
            assertTrue(registry.getNames().isEmpty(), registry.getNames().toString());
        }
    }

    @Test
    void slowQueriesAreLoggedNormalizedAndWithValuesOnlyWhenAllowed() throws Exception {
        String slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                + "SELECT count(*) FROM n WHERE i > 424242";
        for (boolean withValues : new boolean[] {false, true}) {
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("slow" + withValues + ".db").toString())
                    .slowQueryThresholdMillis(1).logParameters(withValues).dataSource();
                 Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(slow)) {
                ps.setInt(1, 777_777);
                ps.executeQuery().close();
            } finally {
                System.setErr(original);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("slow query on") && log.contains("WHERE i > ?"), log);
            assertFalse(log.contains("424242"), "literals are never logged: " + log);
            assertEquals(withValues, log.contains("777777"), "bound values only when allowed: " + log);
        }
    }

    @Test
    void aListenerHearsEachMeasureOnceAndCannotBreakAStatement() throws Exception {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        SafeSqliteListener recorder = new SafeSqliteListener() {
            @Override
            public void statementExecuted(String database, String normalizedSql, long nanos, Throwable failure,
                    BoundValues parameters) {
                heard.add("statement " + normalizedSql + (failure == null ? "" : " failed"));
            }

            @Override
            public void gateHeld(String database, long nanos) {
                heard.add("gate held");
            }

            @Override
            public void rolledBack(String database) {
                heard.add("rolled back");
            }
        };
        SafeSqliteListener broken = new SafeSqliteListener() {
            @Override
            public void statementExecuted(String database, String normalizedSql, long nanos, Throwable failure,
                    BoundValues parameters) {
                throw new IllegalStateException("a listener bug");
            }

            @Override
            public void gateHeld(String database, long nanos) {
                throw new IllegalStateException("a listener bug");
            }
        };
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("l.db").toString())
                .metricRegistry(new MetricRegistry()).listener(broken).listener(recorder).dataSource();
             Connection c = ds.getConnection()) {
            exec(c, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)");
            heard.clear();
            exec(c, "INSERT INTO item(name) VALUES ('secret')");
            assertEquals(List.of("gate held", "statement INSERT INTO item(name) VALUES (?)"), heard,
                    "one hold of the gate, one statement, no literal; the broken listener changed nothing");
            heard.clear();
            c.setAutoCommit(false);
            exec(c, "UPDATE item SET name = 'x'");
            c.rollback();
            assertEquals(List.of("statement UPDATE item SET name = ?", "rolled back", "gate held"), heard);
            c.setAutoCommit(true);
            heard.clear();
            assertThrows(SQLException.class, () -> exec(c, "SELECT nope FROM item"));
            assertEquals(List.of("statement SELECT nope FROM item failed"), heard);
        }
    }

    @Test
    void aStatementThatFailedIsNotLoggedOrCountedAsSlow() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("fail.db").toString())
                .metricRegistry(registry).slowQueryThresholdMillis(1).gateTimeoutMillis(50).dataSource();
             Connection holder = ds.getConnection()) {
            exec(holder, "CREATE TABLE item(id INTEGER PRIMARY KEY)");
            holder.setAutoCommit(false);
            exec(holder, "INSERT INTO item VALUES (1)"); // holds the writer
            long slowBefore = registry.meter("safesqlite.fail.slow-queries").getCount();
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Throwable failure;
            try {
                // Only this statement runs while the log is captured: it waits 50 ms for the writer, then fails.
                failure = CompletableFuture.supplyAsync(() -> {
                    try (Connection other = ds.getConnection()) {
                        exec(other, "INSERT INTO item VALUES (2)");
                        return null;
                    } catch (SQLException e) {
                        return e;
                    }
                }).get(60, TimeUnit.SECONDS);
            } finally {
                System.setErr(original);
            }
            assertTrue(failure instanceof java.sql.SQLTimeoutException, String.valueOf(failure));
            assertEquals(slowBefore, registry.meter("safesqlite.fail.slow-queries").getCount(),
                    "a time-out is no slow query");
            String log = captured.toString(StandardCharsets.UTF_8);
            assertFalse(log.contains("slow query"), "the failure is the exception's to report: " + log);
            holder.rollback();
        }
    }

    @Test
    void twoFilesWithTheSameNameNeverShareOrRemoveEachOthersMetricsOrHealth() throws Exception {
        MetricRegistry registry = SharedMetricRegistries.getOrCreate("tenants-test");
        java.nio.file.Files.createDirectories(dir.resolve("tenant-a"));
        java.nio.file.Files.createDirectories(dir.resolve("tenant-b"));
        javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        try (SafeSqliteDataSource a = SafeSqliteDataSource.builder().path(dir.resolve("tenant-a/app.db").toString())
                .metricsRegistry("tenants-test").jmx(true).dataSource(); Connection ca = a.getConnection()) {
            SafeSqliteDataSource b = SafeSqliteDataSource.builder().path(dir.resolve("tenant-b/app.db").toString())
                    .metricsRegistry("tenants-test").jmx(true).dataSource();
            try (Connection cb = b.getConnection()) {
                exec(ca, "CREATE TABLE t(x)");
                exec(cb, "CREATE TABLE t(x)");
                for (int i = 0; i < 3; i++) {
                    exec(ca, "INSERT INTO t VALUES (1)");
                }
                exec(cb, "INSERT INTO t VALUES (1)");
                assertEquals(3, registry.timer("safesqlite.app.query.INSERT INTO t VALUES (?)").getCount(), "A's own");
                assertEquals(1, registry.timer("safesqlite.app-2.query.INSERT INTO t VALUES (?)").getCount(), "B's own");
                assertTrue(jmx.isRegistered(new javax.management.ObjectName("io.github.safesqlite:type=Database,name=\"app\"")));
                assertTrue(jmx.isRegistered(new javax.management.ObjectName("io.github.safesqlite:type=Database,name=\"app-2\"")));
            }
            b.close();
            assertEquals(3, registry.timer("safesqlite.app.query.INSERT INTO t VALUES (?)").getCount(),
                    "closing B left A's metrics alone");
            assertTrue(registry.getGauges().containsKey("safesqlite.app.wal.bytes"), "and A's gauges");
            assertFalse(registry.getNames().stream().anyMatch(n -> n.startsWith("safesqlite.app-2.")), "B's are gone");
            assertTrue(jmx.isRegistered(new javax.management.ObjectName("io.github.safesqlite:type=Database,name=\"app\"")),
                    "A's MXBean stays");
            SQLException taken = assertThrows(SQLException.class, () -> {
                try (SafeSqliteDataSource c = SafeSqliteDataSource.builder().path(dir.resolve("other.db").toString())
                        .name("app").dataSource()) {
                    c.getConnection().close();
                }
            });
            assertTrue(taken.getMessage().contains("already used"), taken.getMessage());
        }
    }

    @Test
    void inMemoryDatabasesOpenedThroughTheDriverEachHaveTheirOwnMetrics() throws Exception {
        MetricRegistry registry = SharedMetricRegistries.getOrCreate("memory-test");
        try (Connection one = DriverManager.getConnection("jdbc:safesqlite::memory:?metrics_registry=memory-test");
             Connection two = DriverManager.getConnection("jdbc:safesqlite::memory:?metrics_registry=memory-test")) {
            exec(one, "CREATE TABLE t(x)");
            exec(two, "CREATE TABLE t(x)");
            long databases = registry.getGauges().keySet().stream().filter(n -> n.endsWith(".gate.queued")).count();
            assertEquals(2, databases, "two in-memory databases, two sets of metrics: " + registry.getNames());
        }
    }
}
