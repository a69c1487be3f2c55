/**
 * safesqlite: SQLite made safe and fast under concurrent use, behind a standard
 * {@link javax.sql.DataSource} ({@link io.github.safesqlite.SafeSqliteDataSource}) and a
 * {@code jdbc:safesqlite:} {@link java.sql.Driver}. Only {@code io.github.safesqlite} is API;
 * the engine, JDBC, SQL, retry, metrics and time packages are internal and not exported, so
 * their public classes are public only to each other. The Flyway plugin's package is exported
 * for Flyway to load it, the Spring Boot auto-configuration's for Spring and the Micrometer binder's
 * for its users; Flyway, Spring and Micrometer are all optional.
 */
module io.github.safesqlite {
    requires transitive java.sql;
    requires transitive com.codahale.metrics;
    requires java.sql.rowset;
    requires java.management;
    requires transitive java.naming;
    requires org.xerial.sqlitejdbc;
    requires net.bytebuddy;
    requires org.slf4j;
    // Optional, as in the pom. Flyway 11 has no module name of its own, so this is the name the JDK
    // derives from its jar; on the module path the plugin is not registered (see README), on the
    // class path (where Flyway runs) META-INF/services registers it.
    requires static flyway.core;
    // Optional too: Spring Boot loads the auto-configuration, a Micrometer user the binder.
    requires static spring.boot;
    requires static spring.boot.autoconfigure;
    requires static spring.boot.actuator;
    requires static spring.context;
    requires static spring.core;
    requires static spring.beans;
    requires static micrometer.core;
    // Flight Recorder events, when the runtime has JFR (a trimmed jlink image may not).
    requires static jdk.jfr;

    exports io.github.safesqlite;
    exports io.github.safesqlite.flyway;
    exports io.github.safesqlite.micrometer;
    exports io.github.safesqlite.spring;
    // Spring reads the auto-configuration's annotations and calls its bean methods reflectively.
    opens io.github.safesqlite.spring;

    // Connection initializers found on the class or module path apply to every database (see ConnectionInitializer).
    uses io.github.safesqlite.ConnectionInitializer;

    provides java.sql.Driver with io.github.safesqlite.SafeSqliteDriver;
}
