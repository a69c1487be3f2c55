package io.github.safesqlite.engine;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A physical prepared statement lent from a {@link PhysicalConnection}'s cache. Internal to safesqlite. */
public final class CachedStatement {

    final PhysicalConnection owner;
    final String sql;
    final PreparedStatement statement;
    final boolean cached;
    boolean inUse;

    CachedStatement(PhysicalConnection owner, String sql, PreparedStatement statement, boolean cached) {
        this.owner = owner;
        this.sql = sql;
        this.statement = statement;
        this.cached = cached;
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
