package io.github.safesqlite.engine;

import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * One sqlite-jdbc connection with its role and statement cache. sqlite-jdbc's own autocommit stays
 * on: safesqlite issues BEGIN, COMMIT and ROLLBACK itself, so sqlite-jdbc never re-opens a
 * transaction behind the application's back. Internal to safesqlite.
 */
public final class PhysicalConnection {

    /** What a physical connection is for. */
    public enum Role { WRITER, READER }

    private final SQLiteConnection raw;
    private final Role role;
    final StatementCache cache;
    /** When a pooled reader was lent out (on the pool's clock), 0 while it is idle. */
    volatile long lentAt;
    /** Which reader tuning (ReaderPool.retune) this reader carries; touched only by the thread lending it. */
    int tunedTo;
    /** The lease this reader is lent under, made at its first loan and reused for every later one. */
    private Lease readerLease;

    /** The writer's busy handler, which honours each call's deadline; null on readers. */
    private final ShortSleepBusyHandler busyHandler;

    PhysicalConnection(SQLiteConnection raw, Role role, int cacheSize, ShortSleepBusyHandler busyHandler) {
        this.raw = raw;
        this.role = role;
        this.cache = new StatementCache(this, cacheSize);
        this.busyHandler = busyHandler;
    }

    /**
     * The next statements on this connection wait for another process's lock no later than
     * {@code deadlineNanos} (System.nanoTime): the deadline of the JDBC call that runs them.
     */
    public void waitUntil(long deadlineNanos) {
        if (busyHandler != null) {
            busyHandler.waitUntil(deadlineNanos);
        }
    }

    /** This reader's lease for a new loan from {@code pool}. */
    Lease lendAsReader(ReaderPool pool) {
        if (readerLease == null) {
            readerLease = new Lease(pool, this);
            return readerLease;
        }
        return readerLease.relent();
    }

    /** The sqlite-jdbc connection. */
    public SQLiteConnection raw() {
        return raw;
    }

    /** Writer or reader. */
    public Role role() {
        return role;
    }

    /** A prepared statement for {@code sql} from this connection's cache; give it back with {@link CachedStatement#release()}. */
    public CachedStatement prepare(String sql) throws SQLException {
        return cache.acquire(sql);
    }

    /** Runs a statement that returns no rows (transaction control, PRAGMA assignments) through the cache. */
    public void run(String sql) throws SQLException {
        CachedStatement s = cache.acquire(sql);
        try {
            s.statement().execute();
        } catch (SQLException e) {
            s.discard();
            throw e;
        }
        s.release();
    }

    /**
     * Makes this connection see every committed schema change. SQLite compares a connection's cached
     * schema with the file's only when a statement opens a read transaction; the reporting PRAGMAs
     * behind {@code DatabaseMetaData} ({@code foreign_key_list}, {@code index_list} ...) do not, so
     * after DDL on the writer a reader or the metadata connection would describe the old schema.
     * Reading {@code sqlite_master} opens one, which drops a stale schema. It runs only before such
     * PRAGMAs and metadata calls; it bypasses the statement cache, which is not thread-safe, because
     * the metadata connection is shared by threads (sqlite-jdbc serializes calls on it).
     */
    public void refreshSchema() throws SQLException {
        try (java.sql.Statement st = raw.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT 1 FROM sqlite_master WHERE 0")) {
            rs.next();
        }
    }

    /**
     * True when SQLite has a transaction open on this connection. sqlite-jdbc does not expose
     * {@code sqlite3_get_autocommit}, so this asks SQLite to begin one: only a connection already in a
     * transaction refuses. Used only on error paths.
     */
    public boolean inTransaction() throws SQLException {
        try {
            run("BEGIN");
        } catch (SQLException alreadyInTransaction) {
            return true;
        }
        run("ROLLBACK");
        return false;
    }

    /** Closes the cached statements and the connection; a transaction still open is rolled back by SQLite. */
    public void close() {
        cache.closeAll();
        try {
            raw.close();
        } catch (SQLException ignored) {
            // Nothing left to do with a connection that cannot even close; SQLite frees it on finalization.
        }
    }

    @Override
    public String toString() {
        return role.name().toLowerCase() + "@" + Integer.toHexString(System.identityHashCode(this));
    }
}
