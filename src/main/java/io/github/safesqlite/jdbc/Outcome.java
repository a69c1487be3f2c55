package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.CachedStatement;
import java.sql.ResultSet;

/**
 * What one physical execution produced: open rows on a still-borrowed physical statement, or an
 * update count; and generated keys when they were asked for. Each logical statement owns one and
 * every execution refills it, so that running a statement allocates no result holder; it is read
 * by {@link OpenResults#adopt} before the next execution of the same statement starts.
 */
final class Outcome {

    private ResultSet rows;
    private CachedStatement physical;
    private long updateCount;
    private ResultSet generatedKeys;

    /** Open rows on {@code physical}, which stays borrowed until they close. */
    Outcome withRows(ResultSet rows, CachedStatement physical) {
        this.rows = rows;
        this.physical = physical;
        this.updateCount = -1;
        this.generatedKeys = null;
        return this;
    }

    /** An update count and no rows. */
    Outcome withCount(long count) {
        this.rows = null;
        this.physical = null;
        this.updateCount = count;
        this.generatedKeys = null;
        return this;
    }

    /** Adds the generated keys the application asked for. */
    Outcome withKeys(ResultSet keys) {
        this.generatedKeys = keys;
        return this;
    }

    /** Replaces the open rows with a copy in memory, after their physical statement went back. */
    Outcome withCopiedRows(ResultSet copy) {
        this.rows = copy;
        this.physical = null;
        return this;
    }

    boolean hasRows() {
        return rows != null;
    }

    ResultSet rows() {
        return rows;
    }

    CachedStatement physical() {
        return physical;
    }

    long updateCount() {
        return updateCount;
    }

    ResultSet generatedKeys() {
        return generatedKeys;
    }
}
