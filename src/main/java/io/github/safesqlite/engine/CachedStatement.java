package io.github.safesqlite.engine;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A physical prepared statement lent from a {@link PhysicalConnection}'s cache. Internal to safesqlite. */
public final class CachedStatement {

    final PhysicalConnection owner;
    final String sql;
    final PreparedStatement statement;
    final boolean cached;
    private final int parameterCount;
    boolean inUse;
    /** Dropped from the cache (evicted, or discarded after a failure): closed when given back. */
    boolean evicted;

    CachedStatement(PhysicalConnection owner, String sql, PreparedStatement statement, boolean cached)
            throws SQLException {
        this.owner = owner;
        this.sql = sql;
        this.statement = statement;
        this.cached = cached;
        this.parameterCount = statement.getParameterMetaData().getParameterCount();
    }

    /**
     * How many parameters the SQL has. The statement still holds the values of its previous use:
     * whoever runs it binds all of them (NULL where the application bound nothing).
     */
    public int parameterCount() {
        return parameterCount;
    }

    /** The SQL it was prepared from. */
    public String sql() {
        return sql;
    }

    /** The sqlite-jdbc statement; valid until {@link #release()}. */
    public PreparedStatement statement() {
        return statement;
    }

    /** Drops the statement after a failed execution (sqlite-jdbc finalizes it then). */
    public void discard() {
        owner.cache.discard(this);
    }

    /** Gives the statement back to its connection's cache. */
    public void release() throws SQLException {
        owner.cache.release(this);
    }
}
