package io.github.safesqlite.spring;

import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.micrometer.SafeSqliteMetrics;
import io.micrometer.core.instrument.Tags;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring Boot 3 auto-configuration of what Actuator and Micrometer show of a
 * {@link SafeSqliteDataSource} bean (the one {@link SafeSqliteAutoConfiguration} made, or the
 * application's own): a health contributor named {@code safesqlite}, and safesqlite's meters in the
 * application's {@code MeterRegistry} with percentiles from
 * {@code spring.datasource.safesqlite-metrics.percentiles} (none by default). Each part is there
 * only when its library is.
 */
@AutoConfiguration(after = SafeSqliteAutoConfiguration.class,
        afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnBean(SafeSqliteDataSource.class)
public class SafeSqliteActuatorAutoConfiguration {

    /** Created by Spring. */
    public SafeSqliteActuatorAutoConfiguration() {
    }

    /** The health contributor, when Actuator is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    public static class Health {

        /** Created by Spring. */
        public Health() {
        }

        /**
         * {@code /actuator/health}'s {@code safesqlite} component.
         *
         * @param dataSource the data source it reports on
         */
        @Bean
        @ConditionalOnMissingBean(name = "safesqliteHealthIndicator")
        public HealthIndicator safesqliteHealthIndicator(SafeSqliteDataSource dataSource) {
            return new SafeSqliteHealthIndicator(dataSource);
        }
    }

    /** The meters, when Micrometer is on the class path: Boot binds every {@code MeterBinder} bean to its registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    public static class Metrics {

        /** Created by Spring. */
        public Metrics() {
        }

        /**
         * safesqlite's meters, tagged with the database's name.
         *
         * @param dataSource  the data source measured
         * @param environment where {@code spring.datasource.safesqlite-metrics.percentiles} is read
         */
        @Bean
        @ConditionalOnMissingBean
        public SafeSqliteMetrics safesqliteMetrics(SafeSqliteDataSource dataSource, Environment environment) {
            double[] percentiles = environment.getProperty("spring.datasource.safesqlite-metrics.percentiles",
                    double[].class, new double[0]);
            return new SafeSqliteMetrics(dataSource, Tags.empty(), percentiles);
        }
    }
}
