package io.github.safesqlite;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done in one transaction by {@link SafeSqliteDataSource#inTransaction} or
 * {@link SafeSqliteDataSource#inReadOnlyTransaction}. It may be run more than once: after a busy
 * or locked failure the transaction is rolled back and the whole unit runs again, so it should
 * have no effects outside the database (or only repeatable ones).
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface UnitOfWork<T> {

    /**
     * Does the work on {@code connection}, which is in a transaction; do not commit, roll back or close it.
     *
     * @throws SQLException to roll back; a busy or locked one makes the unit run again
     */
    T run(Connection connection) throws SQLException;
}
