package io.github.safesqlite.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One recorded parameter binding, replayed onto whichever physical statement runs the execution. */
@FunctionalInterface
interface Bind {
    void apply(PreparedStatement statement) throws SQLException;
}
