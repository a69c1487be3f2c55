package io.github.safesqlite;

import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * Prepares every physical connection safesqlite opens on a database, before anything runs on it:
 * the one way to give all of them the same user-defined functions (scalar, aggregate, window),
 * collations and handlers. A safesqlite connection spans a writer, a pool of readers (opened when
 * load needs them, and again after an idle close) and a metadata connection; something registered
 * through {@code unwrap(SQLiteConnection.class)} reaches only one of them, so {@code SELECT
 * twice(21)} would fail with "no such function" wherever the statement happens to run.
 *
 * <pre>{@code
 * SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path("app.db")
 *     .initializer((connection, path, writer) -> Function.create(connection, "twice", new Function() {
 *         protected void xFunc() throws SQLException { result(value_int(0) * 2); }
 *     }))
 *     .dataSource();
 * }</pre>
 *
 * <p>Where the code that opens the connection cannot change (the URL swap), list an
 * implementation in {@code META-INF/services/io.github.safesqlite.ConnectionInitializer} (or
 * {@code provides} it from a module): it is loaded with {@link java.util.ServiceLoader} when a
 * database opens and applies to every database of the JVM; use {@code path} to pick the ones it is
 * for.
 *
 * <p>Hooks: every write runs on the writer, so an update hook ({@code addUpdateListener}) or commit
 * hook ({@code addCommitListener}) registered when {@code writer} is true hears every change made
 * through safesqlite, exactly once; readers never change anything. The writer's busy handler is
 * safesqlite's own (see {@code busy_timeout}): do not replace it. An initializer that throws fails
 * the opening of that connection, and the JDBC call that needed it, with its message.
 */
@FunctionalInterface
public interface ConnectionInitializer {

    /**
     * Prepares one physical connection.
     *
     * @param connection sqlite-jdbc's connection, with safesqlite's PRAGMA profile already applied
     * @param path       the database file's real path (symbolic links resolved), or {@code :memory:}
     *                   or an empty string for in-memory and temporary databases
     * @param writer     true for the writer, false for a reader or the metadata connection (both
     *                   read-only)
     * @throws SQLException to refuse the connection; the message reaches the caller
     */
    void initialize(SQLiteConnection connection, String path, boolean writer) throws SQLException;
}
