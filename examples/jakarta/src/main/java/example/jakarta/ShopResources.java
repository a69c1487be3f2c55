package example.jakarta;

import jakarta.annotation.sql.DataSourceDefinition;

/**
 * How a Jakarta EE application declares safesqlite: the container creates
 * {@code SafeSqliteDataSource} with its no-argument constructor, sets {@code url}, and sets each
 * {@code properties} entry as a bean property by name. Settings can also go in the URL.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/shop",
        className = "io.github.safesqlite.SafeSqliteDataSource",
        url = "jdbc:safesqlite:${shop.db}",
        properties = {"readers=4", "busyTimeout=10000", "slowQueryThreshold=500"})
public class ShopResources {
}
