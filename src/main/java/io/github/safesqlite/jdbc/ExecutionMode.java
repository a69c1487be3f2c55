package io.github.safesqlite.jdbc;

/** Which JDBC execute method the application called; the physical call is the same one, so results match sqlite-jdbc's. */
enum ExecutionMode {
    /** {@code execute}: rows or a count. */
    ANY,
    /** {@code executeQuery}: rows expected. */
    QUERY,
    /** {@code PreparedStatement.executeUpdate}: a count expected; rows are an error, as in sqlite-jdbc. */
    UPDATE,
    /**
     * {@code Statement.executeUpdate(sql)}: a count expected; a statement that returns rows (for
     * example {@code PRAGMA journal_mode = WAL}) still runs and its rows are dropped, as sqlite-jdbc does.
     */
    UPDATE_IGNORING_ROWS
}
