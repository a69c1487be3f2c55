package io.github.safesqlite.jdbc;

/** Which JDBC execute method the application called; the physical call is the same one, so results match sqlite-jdbc's. */
enum ExecutionMode {
    /** {@code execute}: rows or a count. */
    ANY,
    /** {@code executeQuery}: rows expected. */
    QUERY,
    /** {@code executeUpdate}: a count expected. */
    UPDATE
}
