package io.github.safesqlite.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.micrometer.SafeSqliteMetrics;
import java.nio.file.Path;
import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring Boot auto-configuration, in real application contexts: the URL alone makes the data
 * source, {@code spring.datasource.safesqlite.*} adds settings, Actuator gets a health contributor
 * and Micrometer a binder; another pool type, or no safesqlite URL, leaves everything to Boot.
 */
class SafeSqliteAutoConfigurationTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner boot = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(SafeSqliteAutoConfiguration.class, SafeSqliteActuatorAutoConfiguration.class));

    @Test
    void theUrlAloneMakesASafeSqliteDataSourceWithTheSettingsFromBothPlaces() {
        boot.withPropertyValues("spring.datasource.url=jdbc:safesqlite:" + dir.resolve("boot.db") + "?readers=3",
                        "spring.datasource.safesqlite.gate-timeout=1234",
                        "spring.datasource.safesqlite.batch_transactions=true",
                        "spring.datasource.safesqlite.readers=5")
                .run(context -> {
                    assertFalse(context.getStartupFailure() != null, () -> String.valueOf(context.getStartupFailure()));
                    DataSource ds = context.getBean(DataSource.class);
                    assertTrue(ds instanceof SafeSqliteDataSource, ds.getClass().getName());
                    SafeSqliteDataSource safe = (SafeSqliteDataSource) ds;
                    assertEquals(1234, safe.getConfig().gateTimeoutMillis(), "kebab-case key");
                    assertTrue(safe.getConfig().batchTransactions(), "snake_case key");
                    assertEquals(5, safe.getConfig().readers(), "spring.datasource.safesqlite.* wins over the URL");
                    try (Connection c = ds.getConnection()) {
                        Databases.exec(c, "CREATE TABLE t(v)");
                        Databases.exec(c, "INSERT INTO t VALUES (1)");
                        assertEquals(1, Databases.longValue(c, "SELECT count(*) FROM t"));
                    }
                    assertTrue(context.getBean(SafeSqliteMetrics.class) != null);
                });
    }

    @Test
    void theHealthContributorIsUpWithDetailsAndDownOnceClosed() {
        boot.withPropertyValues("spring.datasource.url=jdbc:safesqlite:" + dir.resolve("health.db"))
                .run(context -> {
                    HealthIndicator indicator = context.getBean("safesqliteHealthIndicator", HealthIndicator.class);
                    Health up = indicator.health();
                    assertEquals(Status.UP, up.getStatus(), up.toString());
                    assertEquals("wal", up.getDetails().get("journalMode"));
                    assertTrue(up.getDetails().containsKey("walBytes") && up.getDetails().containsKey("writersQueued")
                            && up.getDetails().containsKey("readersInUse") && up.getDetails().containsKey("lastCheckpoint"),
                            up.getDetails().toString());
                    context.getBean(SafeSqliteDataSource.class).close();
                    assertEquals(Status.DOWN, indicator.health().getStatus(), "a closed data source is down");
                });
    }

    @Test
    void anotherPoolTypeOrAnotherUrlLeavesTheDataSourceToBoot() {
        boot.withPropertyValues("spring.datasource.url=jdbc:safesqlite:" + dir.resolve("other.db"),
                        "spring.datasource.type=com.zaxxer.hikari.HikariDataSource")
                .run(context -> assertFalse(context.containsBean("dataSource"), "backs off for an explicit pool type"));
        boot.withPropertyValues("spring.datasource.url=jdbc:sqlite:" + dir.resolve("plain.db"))
                .run(context -> assertFalse(context.containsBean("dataSource"), "a plain sqlite URL is not ours"));
    }

    @Test
    void anApplicationsOwnSafeSqliteDataSourceGetsHealthAndMetricsToo() {
        boot.withUserConfiguration(OwnDataSource.class).run(context -> {
            assertEquals(1, context.getBeansOfType(DataSource.class).size(), "the application's, not a second one");
            assertEquals(Status.UP, context.getBean("safesqliteHealthIndicator", HealthIndicator.class).health().getStatus());
            assertTrue(context.getBean(SafeSqliteMetrics.class) != null);
        });
    }

    /** An application that makes its own data source. */
    @Configuration(proxyBeanMethods = false)
    static class OwnDataSource {
        @Bean(destroyMethod = "close")
        SafeSqliteDataSource own() throws Exception {
            return SafeSqliteDataSource.builder().path(Path.of(System.getProperty("java.io.tmpdir"))
                    .resolve("safesqlite-own-" + ProcessHandle.current().pid() + ".db").toString()).dataSource();
        }
    }
}
