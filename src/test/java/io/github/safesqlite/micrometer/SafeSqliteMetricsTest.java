package io.github.safesqlite.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Micrometer binder on a real database: the same events as the Dropwizard metrics, one name
 * per measure with a {@code database} tag, query timers tagged by normalized SQL and bounded as the
 * Dropwizard ones are, gauges from the health snapshot.
 */
class SafeSqliteMetricsTest {

    @TempDir
    Path dir;

    @Test
    void theSameStatementsAreCountedInBothRegistriesUnderOneNamePerMeasure() throws Exception {
        MetricRegistry dropwizard = new MetricRegistry();
        SimpleMeterRegistry micrometer = new SimpleMeterRegistry();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("shop.db").toString())
                .metricRegistry(dropwizard).maxQueryMetrics(3).dataSource()) {
            new SafeSqliteMetrics(ds, Tags.of("app", "test"), 0.5, 0.99).bindTo(micrometer);
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT)");
                for (int i = 0; i < 5; i++) {
                    Databases.exec(c, "INSERT INTO item(name) VALUES ('secret-" + i + "')");
                }
                Databases.exec(c, "UPDATE item SET name = 'x' WHERE id = 1");
                Databases.exec(c, "DELETE FROM item WHERE id = 2"); // a fourth distinct SQL: past the bound of 3
            }
            Timer inserts = micrometer.get("safesqlite.query").tags("database", "shop", "app", "test")
                    .tag("sql", "INSERT INTO item(name) VALUES (?)").timer();
            assertEquals(5, inserts.count(), "five inserts under one normalized name, no literal in it");
            assertEquals(dropwizard.timer("safesqlite.shop.query.INSERT INTO item(name) VALUES (?)").getCount(),
                    inserts.count(), "the Dropwizard timer heard the same events");
            Set<String> sqlTags = micrometer.find("safesqlite.query").timers().stream()
                    .map(t -> t.getId().getTag("sql")).collect(Collectors.toSet());
            assertEquals(4, sqlTags.size(), "three names and the overflow: " + sqlTags);
            assertTrue(sqlTags.contains("other"), sqlTags.toString());
            assertTrue(sqlTags.stream().noneMatch(t -> t.contains("secret")), "no literal reaches a tag: " + sqlTags);
            assertTrue(micrometer.get("safesqlite.gate.hold").tag("database", "shop").timer().count() > 0);
            Meter wal = micrometer.get("safesqlite.wal.bytes").tag("database", "shop").gauge();
            assertNotNull(wal);
            assertTrue(micrometer.get("safesqlite.wal.bytes").gauge().value() >= 0);
            assertEquals(0, micrometer.get("safesqlite.gate.queued").gauge().value());
            assertTrue(micrometer.get("safesqlite.query").tag("sql", "INSERT INTO item(name) VALUES (?)").timer()
                    .takeSnapshot().percentileValues().length == 2, "the percentiles asked for are published");
        }
        assertTrue(Double.isNaN(micrometer.get("safesqlite.wal.bytes").gauge().value()), "a closed database reads NaN");
    }
}
