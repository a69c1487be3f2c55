package io.github.safesqlite.compat;

import io.github.safesqlite.ConnectionInitializer;
import java.sql.SQLException;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

/**
 * Listed in META-INF/services, as an application would list it to reach code that opens
 * connections by URL. It applies to every database of the test JVM, so it picks its own by name.
 */
public final class ServiceLoadedInitializer implements ConnectionInitializer {

    @Override
    public void initialize(SQLiteConnection connection, String path, boolean writer) throws SQLException {
        if (!path.contains("service-loaded")) {
            return;
        }
        Function.create(connection, "shout", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                result(value_text(0).toUpperCase(java.util.Locale.ROOT) + "!");
            }
        });
    }
}
