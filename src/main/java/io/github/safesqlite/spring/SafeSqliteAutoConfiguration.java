package io.github.safesqlite.spring;

import io.github.safesqlite.SafeSqliteDataSource;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Spring Boot 3 auto-configuration: with {@code spring.datasource.url=jdbc:safesqlite:...} and no
 * {@code DataSource} bean of the application's own, the data source is a {@link SafeSqliteDataSource}
 * (it pools its cheap logical connections itself, so no HikariCP goes in front). Settings come
 * from the URL's {@code ?key=value} pairs and from {@code spring.datasource.safesqlite.*}
 * ({@code spring.datasource.safesqlite.readers=8}, {@code ...batch-transactions=true}), the latter
 * winning. Backs off when {@code spring.datasource.type} names another pool. Active only when
 * Spring Boot is on the class path: Spring is an optional dependency of safesqlite.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@Conditional(SafeSqliteAutoConfiguration.OnSafeSqliteUrl.class)
public class SafeSqliteAutoConfiguration {

    /** Where settings may be given besides the URL. */
    public static final String PREFIX = "spring.datasource.safesqlite";

    /** Created by Spring. */
    public SafeSqliteAutoConfiguration() {
    }

    /**
     * The data source, closed with the application context.
     *
     * @param environment where {@code spring.datasource.url} and {@code spring.datasource.safesqlite.*} are read
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    public SafeSqliteDataSource dataSource(Environment environment) {
        SafeSqliteDataSource ds = new SafeSqliteDataSource();
        ds.setUrl(environment.getProperty("spring.datasource.url"));
        // Relaxed binding hands keys as written: batch-transactions and batch_transactions both mean the setting.
        Binder.get(environment).bind(PREFIX, Bindable.mapOf(String.class, String.class))
                .ifBound(settings -> settings.forEach((key, value) -> ds.setProperty(key.replace('-', '_'), value)));
        return ds;
    }

    /** True when {@code spring.datasource.url} is a safesqlite URL and no other pool type is asked for. */
    static final class OnSafeSqliteUrl extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            String url = env.getProperty("spring.datasource.url", "");
            if (!url.startsWith("jdbc:safesqlite:")) {
                return ConditionOutcome.noMatch("spring.datasource.url is not a jdbc:safesqlite: URL");
            }
            String type = env.getProperty("spring.datasource.type", SafeSqliteDataSource.class.getName());
            if (!type.equals(SafeSqliteDataSource.class.getName())) {
                return ConditionOutcome.noMatch("spring.datasource.type asks for " + type);
            }
            return ConditionOutcome.match("spring.datasource.url is a jdbc:safesqlite: URL");
        }
    }
}
