package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.CachedStatement;
import java.sql.ResultSet;

/**
 * What one physical execution produced: open rows on a still-borrowed physical statement, or an
 * update count; and the generated key of an INSERT, when keys are wanted. Each logical statement owns one and
 * every execution refills it, so that running a statement allocates no result holder; it is read
 * by {@link OpenResults#adopt} before the next execution of the same statement starts.
 */
final class Outcome {

    private ResultSet rows;
    private CachedStatement physical;
    private long updateCount;
    /** Whether an INSERT's key was read; then {@link #insertedRowId} holds it. */
    private boolean keyed;
    private long insertedRowId;

    /** Open rows on {@code physical}, which stays borrowed until they close. */
    Outcome withRows(ResultSet rows, CachedStatement physical) {
        this.rows = rows;
        this.physical = physical;
        this.updateCount = -1;
        this.keyed = false;
        return this;
    }

    /** An update count and no rows. */
    Outcome withCount(long count) {
        this.rows = null;
        this.physical = null;
        this.updateCount = count;
        this.keyed = false;
        return this;
    }

    /** Adds an INSERT's generated key, its {@code last_insert_rowid()}. */
    Outcome withKey(long rowId) {
        this.keyed = true;
        this.insertedRowId = rowId;
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

    boolean keyed() {
        return keyed;
    }

    long insertedRowId() {
        return insertedRowId;
    }
}
