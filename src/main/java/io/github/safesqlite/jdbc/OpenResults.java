package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.Rows;
import io.github.safesqlite.engine.CachedStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a statement's current execution left open: rows on a borrowed physical statement (and the
 * reader lease to give back when they close), or an update count; and the generated keys. The
 * router fills it through {@link #adopt} and {@link #count}; the statement and its ResultSet give
 * it back through {@link #release}, {@link #exhausted} and {@link #closed}. No other class writes
 * a statement's result state.
 *
 * <p>Like sqlite-jdbc, a statement has one ResultSet object that each execution reopens (the
 * previous results are closed by then, as JDBC requires), and one {@link Outcome} that each
 * physical execution refills, so running a statement allocates neither.
 */
final class OpenResults {

    private final LogicalStatement owner;
    private final Outcome outcome = new Outcome();
    private LogicalResultSet view;
    private LogicalResultSet rows;
    private CachedStatement physical;
    /** What the open rows hold outside a transaction, shared with the connection's other open results; or null. */
    private HeldConnection held;
    private long updateCount = -1;
    /** The keys' ResultSet, made only when asked for. */
    private ResultSet generatedKeys;
    /** Whether the last execution was an INSERT whose key was read; then {@link #keyRowId} holds it. */
    private boolean keyed;
    private long keyRowId;
    /** The physical statement running right now, for {@code cancel()} from another thread. */
    private volatile CachedStatement executing;

    OpenResults(LogicalStatement owner) {
        this.owner = owner;
    }

    /** Where the next physical execution of this statement puts what it produced. */
    Outcome outcome() {
        return outcome;
    }

    /** {@code target} is about to run for this statement; its settings are applied to it. */
    void executing(CachedStatement target) throws SQLException {
        executing = target;
        owner.applySettings(target.statement());
    }

    /** The physical execution ended, either way. */
    void finishedExecuting() {
        executing = null;
    }

    /** Cancels the physical statement running now, if any. */
    void cancel() throws SQLException {
        CachedStatement running = executing;
        if (running != null) {
            running.statement().cancel();
        }
    }

    /**
     * Adopts an outcome. Open rows stay on their physical statement; {@code keep} is what they hold
     * and give back when they close (null when a transaction owns the physical connection, or the
     * rows are a copy).
     */
    void adopt(Outcome o, HeldConnection keep) {
        if (o.hasRows()) {
            rows = viewOf(o.rows());
            physical = o.physical();
            if (physical != null) {
                rows.describedBy(physical.sql()); // for its metadata once it is read to the end and closed
            }
            held = keep;
            updateCount = -1;
        } else {
            updateCount = o.updateCount();
        }
        keyed = o.keyed();
        keyRowId = o.insertedRowId();
    }

    /** The key of a batch's INSERT, which getGeneratedKeys() answers after the batch, as sqlite-jdbc does. */
    void keyFromBatch(long rowId) throws SQLException {
        forgetKeys();
        keyed = true;
        keyRowId = rowId;
    }

    /** Closes the keys' ResultSet if one was made; the next getGeneratedKeys() makes a new one. */
    private void forgetKeys() throws SQLException {
        if (generatedKeys != null) {
            generatedKeys.close();
            generatedKeys = null;
        }
    }

    /** An execution that ran nothing physical (an empty string, transaction control): a count, no rows. */
    void count(long n) {
        updateCount = n;
    }

    private LogicalResultSet viewOf(ResultSet physicalRows) {
        if (view == null) {
            view = LogicalResultSet.wrap(physicalRows, owner);
        } else {
            view.reopen(physicalRows);
        }
        return view;
    }

    /** The open rows, or null. */
    LogicalResultSet resultSet() {
        return rows;
    }

    /** The update count, or -1 when the execution produced rows (or none ran). */
    long updateCount() {
        return updateCount;
    }

    /** The generated keys of the last execution; an empty set when there are none. */
    ResultSet generatedKeys() throws SQLException {
        if (generatedKeys == null) {
            generatedKeys = LogicalResultSet.wrap(keyed ? Rows.key(keyRowId) : Rows.empty(), owner);
        }
        return generatedKeys;
    }

    /** The physical statement holding the open rows, or null. */
    PreparedStatement physicalStatement() {
        return physical == null ? null : physical.statement();
    }

    /** True while the open rows sit on a physical connection owned by the transaction. */
    boolean holdsTransactionResults() {
        return physical != null && held == null;
    }

    /** Closes the current results and gives back what they borrowed. */
    void release() throws SQLException {
        SQLException failure = null;
        if (rows != null) {
            try {
                if (physical != null) {
                    rows.closePhysical();
                }
            } catch (SQLException e) {
                failure = e;
            }
            rows.markClosed();
            rows = null;
        }
        failure = releaseBorrowed(failure);
        forgetKeys();
        keyed = false;
        updateCount = -1;
        if (failure != null) {
            throw failure;
        }
    }

    /** Gives back the physical statement and then the lease, the lease whatever the statement threw. */
    private SQLException releaseBorrowed(SQLException failure) {
        try {
            if (physical != null) {
                CachedStatement p = physical;
                physical = null;
                p.release();
            }
        } catch (SQLException e) {
            failure = failure == null ? e : failure;
        } finally {
            if (held != null) {
                HeldConnection h = held;
                held = null;
                h.release();
            }
        }
        return failure;
    }

    /** The application read {@code rs} to the end: give back the physical side now. */
    void exhausted(LogicalResultSet rs) throws SQLException {
        if (rs != rows || physical == null) {
            return;
        }
        SQLException failure = null;
        try {
            rs.closePhysical();
        } catch (SQLException e) {
            failure = e;
        }
        failure = releaseBorrowed(failure);
        if (failure != null) {
            throw failure;
        }
    }

    /** The application closed {@code rs}. */
    void closed(LogicalResultSet rs) throws SQLException {
        if (rs != rows) {
            rs.closePhysical(); // generated keys, or results already replaced
            return;
        }
        if (physical != null) {
            rs.closePhysical();
        }
        rows = null;
        SQLException failure = releaseBorrowed(null);
        if (failure != null) {
            throw failure;
        }
    }
}
