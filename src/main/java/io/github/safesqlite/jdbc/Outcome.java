package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.CachedStatement;
import java.sql.ResultSet;

/**
 * What one physical execution produced: open rows on a still-borrowed physical statement, or an
 * update count; and generated keys when they were asked for.
 */
record Outcome(ResultSet rows, CachedStatement physical, long updateCount, ResultSet generatedKeys) {

    boolean hasRows() {
        return rows != null;
    }
}
