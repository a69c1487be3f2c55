package io.github.safesqlite.engine;

import io.github.safesqlite.sql.StatementClassifier;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one physical connection (except giant ones, see
 * {@link StatementClassifier#MAX_CACHED_SQL_CHARS}), kept by SQL text so that a logical statement
 * executed again, on whichever physical connection it lands, is not compiled again. Used only by
 * the thread that currently holds the physical connection, so it needs no locking.
 */
final class StatementCache {

    private final PhysicalConnection owner;
    private final int capacity;
    private final LinkedHashMap<String, CachedStatement> entries = new LinkedHashMap<>(16, 0.75f, true);

    StatementCache(PhysicalConnection owner, int capacity) {
        this.owner = owner;
        this.capacity = capacity;
    }

    /**
     * Returns a statement for {@code sql} that nobody else is using. A cached one in use (the same
     * SQL open twice in one transaction) gets a private, uncached twin. Parameters are not cleared
     * here (that is a native call per execution): the caller binds every one.
     */
    CachedStatement acquire(String sql) throws SQLException {
        CachedStatement entry = entries.get(sql);
        if (entry != null && !entry.inUse) {
            entry.inUse = true;
            return entry;
        }
        PreparedStatement ps = owner.raw().prepareStatement(sql);
        boolean cacheIt = entry == null && capacity > 0 && sql.length() <= StatementClassifier.MAX_CACHED_SQL_CHARS;
        CachedStatement fresh = new CachedStatement(owner, sql, ps, cacheIt);
        fresh.inUse = true;
        if (cacheIt) {
            entries.put(sql, fresh);
            evictBeyondCapacity();
        }
        return fresh;
    }

    void release(CachedStatement statement) throws SQLException {
        statement.inUse = false;
        if (!statement.cached || statement.evicted) {
            statement.statement.close();
        }
    }

    /** Forgets and closes a statement whose execution failed: sqlite-jdbc finalizes those, so it cannot run again. */
    void discard(CachedStatement statement) {
        statement.inUse = false;
        entries.remove(statement.sql, statement);
        statement.evicted = true;
        closeQuietly(statement);
    }

    void closeAll() {
        for (CachedStatement s : entries.values()) {
            closeQuietly(s);
        }
        entries.clear();
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<String, CachedStatement>> it = entries.entrySet().iterator();
        while (entries.size() > capacity && it.hasNext()) {
            CachedStatement eldest = it.next().getValue();
            it.remove();
            eldest.evicted = true;
            if (!eldest.inUse) {
                closeQuietly(eldest);
            }
        }
    }

    private static void closeQuietly(CachedStatement s) {
        try {
            s.statement.close();
        } catch (SQLException ignored) {
            // Closing a statement only finalizes it; the connection stays usable either way.
        }
    }
}
