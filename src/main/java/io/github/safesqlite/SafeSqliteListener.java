package io.github.safesqlite;

/**
 * Hears what a safesqlite database does: every measure the library takes is an event here,
 * taken in exactly one place. The Dropwizard metrics and the slow-query log are two
 * implementations; add your own with {@code SafeSqliteDataSource.builder().listener(...)} (for
 * example to feed another metrics system, or to replace the slow-query log after setting
 * {@code slow_query_threshold=0}).
 *
 * <p>Every method has a no-op default, so an implementation overrides only what it needs. Calls
 * come on the thread doing the work, some of them while the writer gate is held: keep them
 * short and do not call back into the database. A listener that throws is logged and skipped;
 * it never fails the statement or wedges the gate. Names of SQL are normalized (literals
 * replaced), so no value from a statement reaches a listener unless it asks for the bound
 * parameters and the user turned on {@code log_parameters}.
 */
public interface SafeSqliteListener {

    /** Bound parameter values that describe themselves only when asked (so nothing is formatted otherwise). */
    @FunctionalInterface
    interface BoundValues {
        /** The values as text. */
        String describe();
    }

    /**
     * Whether this listener wants {@link #statementExecuted} durations; when no listener does,
     * statements are not timed at all.
     */
    default boolean timesStatements() {
        return true;
    }

    /**
     * A statement (or multi-statement string) finished, successfully or not.
     *
     * @param database      the database file
     * @param normalizedSql the SQL with literals replaced
     * @param nanos         how long the execution took, waiting included
     * @param failure       what it failed with, or null
     * @param parameters    the bound values, or null for a plain Statement
     */
    default void statementExecuted(String database, String normalizedSql, long nanos, Throwable failure,
            BoundValues parameters) {
    }

    /** A writer waited {@code nanos} for the writer gate (a transaction, an autocommit write, a checkpoint). */
    default void gateWaited(String database, long nanos) {
    }

    /** The writer gate was held {@code nanos} by one transaction or one autocommit write. */
    default void gateHeld(String database, long nanos) {
    }

    /** A read was lent a reader. */
    default void readerLent(String database) {
    }

    /** A read found every reader lent out and waited {@code nanos} (including opening a new reader). */
    default void readerWaited(String database, long nanos) {
    }

    /** A busy or locked failure was met; {@code retrying} tells whether it will be tried again. */
    default void busy(String database, boolean retrying) {
    }

    /** A statement taken for a read was refused by a read-only reader and ran again on the writer. */
    default void rerouted(String database) {
    }

    /** A transaction was rolled back (explicitly, by close, or after a failed commit). */
    default void rolledBack(String database) {
    }

    /**
     * Autocommit writes queued behind the writer ran: {@code statements} of them shared one COMMIT
     * (1 when a group could not commit together and its members ran alone).
     */
    default void writesGrouped(String database, int statements) {
    }

    /**
     * A transaction that started on a reader ({@code optimistic_transactions}) reached its first
     * write: it moved to the writer, or, when something had been committed since it began reading,
     * it was rolled back with {@code SQLITE_BUSY_SNAPSHOT}.
     */
    default void optimisticWrite(String database, boolean conflicted) {
    }

    /**
     * A checkpoint ran.
     *
     * @param mode     PASSIVE or TRUNCATE
     * @param complete whether every WAL frame was checkpointed
     */
    default void checkpointed(String database, String mode, boolean complete) {
    }
}
