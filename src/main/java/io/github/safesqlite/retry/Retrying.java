package io.github.safesqlite.retry;

import io.github.safesqlite.time.Clock;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an operation that has no effect when it fails with SQLITE_BUSY or SQLITE_LOCKED (an
 * autocommit statement, BEGIN IMMEDIATE, opening a connection), retrying it under one database's
 * {@link RetryPolicy}. Any other failure passes straight through. Whether an operation may be
 * retried at all is its caller's decision. Internal to safesqlite.
 */
public final class Retrying {

    private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

    /** Told about each busy or locked failure: whether it will be retried. */
    @FunctionalInterface
    public interface Listener {
        /** Called once per busy or locked failure. */
        void busy(boolean retrying);

        /** Hears nothing. */
        Listener NONE = retrying -> { };
    }

    /** An operation to retry. */
    @FunctionalInterface
    public interface Operation<T> {
        /** Runs one attempt. */
        T attempt() throws SQLException;
    }

    private final RetryPolicy policy;
    private final String database;
    private final Clock clock;
    private final Listener listener;

    /**
     * @param database the database it runs on; joined to an operation's description only when a
     *                 message needs it, so a call allocates nothing when the first attempt succeeds
     * @param clock    measures the budget and waits out each back-off
     * @param listener told about each busy or locked failure
     */
    public Retrying(RetryPolicy policy, String database, Clock clock, Listener listener) {
        this.policy = policy;
        this.database = database;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * True for failures worth another attempt: SQLITE_BUSY* and SQLITE_LOCKED*, unless they already
     * spent a retry budget (retrying those again would stretch the budget the user set).
     */
    public static boolean isRetryable(SQLException e) {
        return !(e instanceof Exhausted) && (SqliteErrors.isBusy(e) || SqliteErrors.isLocked(e));
    }

    /** The failure of an operation whose retry budget is spent; its cause is the last SQLite error. */
    static final class Exhausted extends SQLException {
        Exhausted(String message, SQLException last) {
            super(message, last.getSQLState(), last.getErrorCode(), last);
        }
    }

    /**
     * Runs {@code op}, retrying retryable failures until the budget is spent.
     *
     * @param what a short description for messages and logs ("BEGIN IMMEDIATE"); no SQL literals
     * @throws SQLException the first non-retryable failure, or, when the budget is spent, one naming the
     *                      attempts and time with the last SQLite error as its cause; an interrupted wait
     *                      throws and keeps the interrupt flag
     */
    public <T> T run(String what, Operation<T> op) throws SQLException {
        return run(what, Long.MAX_VALUE, op);
    }

    /**
     * As {@link #run(String, Operation)}, giving up no later than {@code deadlineNanos} (on this
     * retrying's clock): the deadline of the JDBC call, shared with its other waits.
     */
    public <T> T run(String what, long deadlineNanos, Operation<T> op) throws SQLException {
        long start = clock.nanoTime();
        long budget = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineNanos - start);
        for (int attempt = 1; ; attempt++) {
            try {
                return op.attempt();
            } catch (SQLException e) {
                if (!isRetryable(e)) {
                    throw e;
                }
                long elapsed = clock.nanoTime() - start;
                long delay = policy.delayNanos(attempt, elapsed, budget, ThreadLocalRandom.current());
                listener.busy(delay >= 0);
                String described = database.isEmpty() ? what : what + " on " + database;
                if (delay < 0) {
                    throw exhausted(described, attempt, elapsed, e);
                }
                LOG.debug("{} was busy (attempt {}, {}); retrying in {} us", described, attempt,
                        SqliteErrors.code(e), TimeUnit.NANOSECONDS.toMicros(delay));
                sleep(delay, described, e);
            }
        }
    }

    private void sleep(long nanos, String what, SQLException last) throws SQLException {
        long until = clock.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = until - clock.nanoTime()) {
            clock.sleepNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                throw new SQLException("interrupted while waiting to retry " + what + "; it did not run again and "
                        + "the interrupt flag is still set", "57014", last);
            }
        }
    }

    private SQLException exhausted(String what, int attempts, long elapsedNanos,
            SQLException last) {
        return new Exhausted(what + " stayed busy: gave up after " + attempts + " attempt(s) in "
                + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms (retry_budget " + policy.budgetMillis()
                + " ms, within the call's call_timeout). Another connection or process holds the database lock; find what keeps it (a long "
                + "transaction, a backup, the sqlite3 shell) or raise retry_budget / busy_timeout.", last);
    }
}
