package io.github.safesqlite.jdbc;

import java.sql.SQLException;
import java.sql.Savepoint;

/** A savepoint created through {@link java.sql.Connection#setSavepoint}. */
final class LogicalSavepoint implements Savepoint {

    private final int id;
    private final String name;
    private final boolean named;

    LogicalSavepoint(int id, String name, boolean named) {
        this.id = id;
        this.name = name;
        this.named = named;
    }

    String sqlName() {
        return name;
    }

    @Override
    public int getSavepointId() throws SQLException {
        if (named) {
            throw new SQLException("this savepoint has a name, not an id", "HY024");
        }
        return id;
    }

    @Override
    public String getSavepointName() throws SQLException {
        if (!named) {
            throw new SQLException("this savepoint has an id, not a name", "HY024");
        }
        return name;
    }
}
