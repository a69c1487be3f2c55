package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.Lease;
import io.github.safesqlite.engine.PhysicalConnection;
import io.github.safesqlite.engine.SnapshotMark;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;

/**
 * The transaction state of one logical connection, as one state machine. Where a transaction's
 * statements run is decided by {@link StatementRouter}; this class keeps what is open and moves
 * between the states below, running only COMMIT, ROLLBACK, RELEASE and ROLLBACK TO itself.
 *
 * <pre>
 *                 setAutoCommit(false) | BEGIN | SAVEPOINT
 *   AUTOCOMMIT ─────────────────────────────────────────────▶ REQUESTED
 *       ▲                                                        │ first statement, SAVEPOINT or
 *       │                                                        │ batch: the router starts it
 *       │                                      ┌─────────────────┴──────────────────┐
 *       │                                      ▼ not read-only                       ▼ read-only
 *       │                                 ON_WRITER (gate held,                 ON_READER (one reader,
 *       │                                 BEGIN IMMEDIATE)                      BEGIN: one snapshot)
 *       │                                      │   savepoints: a stack in either started state;
 *       │                                      │   RELEASE of the outermost one that opened the
 *       │                                      │   transaction commits it
 *       │   commit | rollback | RELEASE last   │
 *       └──────────────────────────────────────┘ ended: results on its connection close
 *                                                  (CLOSE_CURSORS_AT_COMMIT), the lease goes back
 * </pre>
 *
 * <p>After {@code commit} or {@code rollback}, a connection with autocommit off is REQUESTED
 * again (JDBC: a new transaction begins with the next statement); one opened by SQL returns to
 * AUTOCOMMIT. A COMMIT that fails while SQLite keeps the transaction open (a deferred foreign
 * key, a busy file) leaves the state where it was, started, with its savepoints ("failed commit,
 * still open"): the caller may fix things and commit again, or roll back. A COMMIT that fails and
 * that SQLite rolled back ends the transaction and says so.
 */
final class TransactionState {

    /** Where the connection stands. */
    enum Phase {
        /** Every statement is its own transaction. */
        AUTOCOMMIT,
        /** A transaction was asked for and begins with the next statement. */
        REQUESTED,
        /** Started on the writer, holding the writer gate. */
        ON_WRITER,
        /** Started read-only on one reader, which keeps one snapshot. */
        ON_READER
    }

    /** The results open on the transaction's connection, closed when it ends. */
    interface ResultsCloser {
        /** Closes them. */
        void closeTransactionResults() throws SQLException;

        /** True while some are open. */
        boolean holdsTransactionResults();
    }

    private final ResultsCloser results;
    private final Runnable rolledBack;
    private boolean autoCommit = true;
    private boolean readOnly;
    /** Requested by BEGIN or SAVEPOINT sent as SQL while autocommit is on. */
    private boolean sqlTransaction;
    private boolean openedBySavepoint;
    /** Where the started transaction's lease lives: apart, so that reclaiming an abandoned connection can reach it. */
    private final Slot slot = new Slot();
    private boolean leaseReadOnly;
    /** Sized for the usual none or one: a connection is made per request or per unit of work, most never set one. */
    private final ArrayDeque<String> savepoints = new ArrayDeque<>(2);
    /** Set for a batched unit of work's connection: its transactions end as the unit's scope says. */
    private UnitScope unit;

    TransactionState(ResultsCloser results, Runnable rolledBack) {
        this.results = results;
        this.rolledBack = rolledBack;
    }

    /** Makes this the state of a batched unit of work's connection: autocommit off for good. */
    void bindTo(UnitScope scope) {
        unit = scope;
        autoCommit = false;
    }

    Phase phase() {
        if (slot.lease != null) {
            return leaseReadOnly ? Phase.ON_READER : Phase.ON_WRITER;
        }
        return requested() ? Phase.REQUESTED : Phase.AUTOCOMMIT;
    }

    /** True once a transaction was asked for, started or not. */
    boolean requested() {
        return !autoCommit || sqlTransaction;
    }

    /** True when statements run inside a write transaction (started or about to be). */
    boolean writes() {
        return requested() && !readOnly;
    }

    /** The started transaction's lease, or null. */
    Lease lease() {
        return slot.lease;
    }

    /** The slot holding the started transaction's lease. */
    Slot slot() {
        return slot;
    }

    /** Holds the started transaction's leases, and nothing that leads back to the connection. */
    static final class Slot {
        Lease lease;
        /** An optimistic transaction's reader, kept after it moved to the writer: its open rows read from it. */
        Lease earlierReader;
    }

    /**
     * Set while a transaction that is not read-only runs on a reader ({@code optimistic_transactions}):
     * taken before its first read, checked when it moves to the writer.
     */
    private SnapshotMark mark;
    /** What an optimistic transaction read on its reader, made when first needed. */
    private ReadLog reads;

    /** True while a transaction that is not read-only runs on a reader, until its first write. */
    boolean optimistic() {
        return mark != null;
    }

    /** The reads of the optimistic transaction running on a reader, to replay if a commit came in between. */
    ReadLog reads() {
        if (reads == null) {
            reads = new ReadLog();
        }
        return reads;
    }

    /** What an optimistic transaction's reader had seen committed when it began reading. */
    SnapshotMark mark() {
        return mark;
    }

    /** REQUESTED → ON_READER for a transaction that may write later ({@code optimistic_transactions}). */
    void startedOptimistically(Lease reader, SnapshotMark before) {
        if (slot.lease != null) {
            throw new IllegalStateException("a transaction is already started");
        }
        leaseReadOnly = true;
        slot.lease = reader;
        mark = before;
    }

    /**
     * ON_READER → ON_WRITER at an optimistic transaction's first write, nothing having been committed
     * since its reads: it goes on on {@code writer}; its reader is kept for its open rows until it
     * ends, or given back now when none are open.
     */
    void movedToWriter(Lease writer) {
        slot.earlierReader = slot.lease;
        slot.lease = writer;
        leaseReadOnly = false;
        mark = null;
        if (reads != null) {
            reads.clear();
        }
        if (!results.holdsTransactionResults()) {
            // Nothing reads from it any more: its snapshot would only hold checkpoints back (measured:
            // kept to the end, 8 threads of transfers grew the WAL to 267 MB), and the pool wants it back.
            endEarlierReader(slot);
        }
    }

    /** True when the started transaction runs on a reader. */
    boolean onReader() {
        return slot.lease != null && leaseReadOnly;
    }

    boolean autoCommit() {
        return autoCommit;
    }

    boolean readOnly() {
        return readOnly;
    }

    // ---- transitions ---------------------------------------------------------------------------

    /** REQUESTED → ON_WRITER or ON_READER: the router started the transaction on {@code started}. */
    void started(Lease started) {
        if (slot.lease != null) {
            throw new IllegalStateException("a transaction is already started");
        }
        leaseReadOnly = readOnly;
        slot.lease = started;
    }

    /** JDBC {@code setAutoCommit}: switching it on commits the open transaction. */
    void setAutoCommit(boolean on) throws SQLException {
        if (on == autoCommit) {
            return;
        }
        if (unit != null) {
            throw new SQLException("a unit of work's connection stays in its transaction: return from the callback "
                    + "to commit it (an autocommit write from it would wait for the writer it already holds)", "25001");
        }
        if (on && requested()) {
            end(true);
        }
        autoCommit = on;
    }

    void setReadOnly(boolean on) throws SQLException {
        if (on && unit != null) {
            throw new SQLException("a unit of work's connection is read-write; use inReadOnlyTransaction for "
                    + "read-only work", "25001");
        }
        if (on != readOnly && (slot.lease != null || sqlTransaction)) {
            throw new SQLException("cannot change read-only while a transaction is open; commit or roll back first",
                    "25001");
        }
        readOnly = on;
    }

    /** BEGIN sent as SQL: AUTOCOMMIT → REQUESTED. */
    void beginBySql() throws SQLException {
        if (requested()) {
            throw new SQLException("cannot start a transaction within a transaction"
                    + (autoCommit ? "" : " (autocommit is off, so one is always open)"), "25001");
        }
        sqlTransaction = true;
    }

    /** COMMIT or ROLLBACK sent as SQL. */
    void endBySql(boolean commit) throws SQLException {
        if (!requested()) {
            throw new SQLException("cannot " + (commit ? "commit" : "rollback") + " - no transaction is active",
                    "25000");
        }
        end(commit);
    }

    /** JDBC {@code commit()} or {@code rollback()}. */
    void endByJdbc(boolean commit) throws SQLException {
        if (!requested()) {
            throw new SQLException((commit ? "commit" : "rollback") + "() called in autocommit mode; call "
                    + "setAutoCommit(false) first", "25000");
        }
        end(commit);
    }

    /**
     * A SAVEPOINT sent as SQL outside a transaction opens one (AUTOCOMMIT → REQUESTED), as in SQLite.
     *
     * @return true when it opened one, which {@link #savepointFailed} undoes if the savepoint fails
     */
    boolean openBySavepoint() {
        if (requested()) {
            return false;
        }
        sqlTransaction = true;
        openedBySavepoint = true;
        return true;
    }

    /**
     * The SAVEPOINT that opened the transaction failed before it started (the writer was busy, or
     * the gate would deadlock): back to AUTOCOMMIT, as SQLite is after a failed SAVEPOINT.
     */
    void savepointFailed() {
        if (slot.lease == null) {
            resetRequest();
        }
    }

    /** A savepoint was set on the started transaction. */
    void savepointSet(String name) {
        savepoints.push(name.toLowerCase(Locale.ROOT));
    }

    /** RELEASE or ROLLBACK TO a savepoint: runs {@code sql} and pops what SQLite pops. */
    void releaseOrRollbackTo(String sql, String name, boolean release) throws SQLException {
        String key = name.toLowerCase(Locale.ROOT);
        if (slot.lease == null || !savepoints.contains(key)) {
            throw new SQLException("no such savepoint: " + name, "3B001");
        }
        slot.lease.physical().run(sql);
        // SQLite pops every savepoint newer than the named one; RELEASE pops the named one too.
        for (Iterator<String> it = savepoints.iterator(); it.hasNext(); ) {
            String top = it.next();
            if (top.equals(key)) {
                if (release) {
                    it.remove();
                }
                break;
            }
            it.remove();
        }
        if (release && savepoints.isEmpty() && openedBySavepoint) {
            end(true); // RELEASE of the outermost savepoint commits, as in SQLite
        }
    }

    /** Commits or rolls back; a transaction asked for but never started just ends. */
    void end(boolean commit) throws SQLException {
        Lease l = slot.lease;
        if (l == null) {
            resetRequest();
            return;
        }
        results.closeTransactionResults();
        if (!commit) {
            rolledBack.run();
        }
        PhysicalConnection pc = l.physical();
        try {
            if (unit != null) {
                unit.end(pc, commit);
            } else {
                pc.run(commit ? "COMMIT" : "ROLLBACK");
            }
        } catch (SQLException e) {
            boolean stillOpen;
            try {
                stillOpen = pc.inTransaction();
            } catch (SQLException probe) {
                stillOpen = true;
            }
            if (commit && stillOpen) {
                // SQLite keeps the transaction (a deferred constraint, a busy file): the caller may retry or roll back.
                throw e;
            }
            finish(l);
            if (commit) {
                throw new SQLException("commit failed and SQLite rolled the transaction back: " + e.getMessage(),
                        e.getSQLState(), e.getErrorCode(), e);
            }
            if (stillOpen) {
                throw e;
            }
            return; // SQLite had already rolled back, which is what was asked
        }
        finish(l);
    }

    private void finish(Lease l) throws SQLException {
        try {
            if (leaseReadOnly && !l.isReader()) {
                l.physical().run("PRAGMA query_only = 0");
            }
        } finally {
            slot.lease = null;
            resetRequest();
            l.release();
            endEarlierReader(slot);
        }
    }

    /** Ends the read transaction of an optimistic transaction's reader, once its rows are closed, and gives it back. */
    static void endEarlierReader(Slot slot) {
        Lease reader = slot.earlierReader;
        if (reader == null) {
            return;
        }
        slot.earlierReader = null;
        try {
            reader.physical().run("ROLLBACK");
        } catch (SQLException alreadyOver) {
            reader.discard(); // its state is unknown: closed rather than pooled
            return;
        }
        reader.release();
    }

    /** Gives the lease back without ending the transaction on it (the connection is gone with the data source). */
    void abandon() {
        Lease l = slot.lease;
        slot.lease = null;
        resetRequest();
        if (l != null) {
            l.release();
        }
        Lease reader = slot.earlierReader;
        slot.earlierReader = null;
        if (reader != null) {
            reader.release();
        }
    }

    private void resetRequest() {
        mark = null;
        if (reads != null) {
            reads.clear();
        }
        sqlTransaction = false;
        openedBySavepoint = false;
        savepoints.clear();
        leaseReadOnly = false;
    }
}
