package io.github.safesqlite.jdbc;

import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * A savepoint created through {@link java.sql.Connection#setSavepoint}. As in sqlite-jdbc, every
 * savepoint has both an id (a counter per connection) and a name ({@code SQLITE_SAVEPOINT_<id>} when
 * none was given), so either getter answers.
 */
final class LogicalSavepoint implements Savepoint {

    private final int id;
    private final String name;

    LogicalSavepoint(int id, String name) {
        this.id = id;
        this.name = name;
    }

    String sqlName() {
        return name;
    }

    @Override
    public int getSavepointId() {
        return id;
    }

    @Override
    public String getSavepointName() {
        return name;
    }
}
