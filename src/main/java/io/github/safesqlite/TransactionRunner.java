package io.github.safesqlite;

import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.jdbc.LogicalConnection;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs a {@link UnitOfWork} in a transaction, again from the start after a busy or locked failure. */
final class TransactionRunner {

    /** Where the connections come from. */
    @FunctionalInterface
    interface Connections {
        Connection get() throws SQLException;
    }

    private TransactionRunner() {
    }

    static <T> T run(Connections connections, Engine engine, boolean readOnly, UnitOfWork<T> work)
            throws SQLException {
        String what = readOnly ? "a read-only unit of work" : "a unit of work";
        return engine.retrying(what, () -> once(connections, readOnly, work));
    }

    /**
     * Runs {@code work} as a batched unit: queued behind the writer, run by whoever holds the gate
     * (possibly together with other units, each in its own savepoint), returned after the COMMIT that
     * contains it. A busy or locked failure is slept off and queued again here, on the caller's
     * thread, so the gate's holder never sleeps for it.
     */
    static <T> T batched(Engine engine, CallerContext caller, UnitOfWork<T> work) throws SQLException {
        return retried(engine, new UnitHolder("a batched unit of work"), engine.deadline(), unit(engine, caller, work));
    }

    /**
     * Runs a unit on the writer as {@link #batched} does, within the call's {@code deadline}: busy and
     * locked failures are slept off on this thread, outside the gate, and the unit queued again.
     */
    static <T> T retried(Engine engine, Object holder, long deadline, Engine.UnitTask<T> unit) throws SQLException {
        return engine.retrying("a unit of work", deadline, () -> engine.unit(holder, deadline, unit));
    }

    /**
     * {@code work} as a task on the writer: in its own transaction, or in a savepoint of a group's,
     * with the caller's context, committed (its savepoint released) or rolled back as it ends.
     */
    static <T> Engine.UnitTask<T> unit(Engine engine, CallerContext caller, UnitOfWork<T> work) {
        return (writer, insideGroup) ->
                caller.run(() -> once(() -> LogicalConnection.openUnit(engine, writer, insideGroup), false, work));
    }

    /** Who waits for the gate on behalf of batched or asynchronous work, as timeout messages name it. */
    record UnitHolder(String what) {
        @Override
        public String toString() {
            return what;
        }
    }

    /** One attempt: commits and returns, or rolls back and throws. Never runs the work after a commit succeeded. */
    private static <T> T once(Connections connections, boolean readOnly, UnitOfWork<T> work) throws SQLException {
        try (Connection c = connections.get()) {
            c.setReadOnly(readOnly);
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
            return result;
        }
    }

    private static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
