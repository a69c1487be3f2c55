package io.github.safesqlite.jdbc;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The statements a logical connection has open: they close with it, and their results on a
 * transaction's connection close when the transaction ends (CLOSE_CURSORS_AT_COMMIT).
 */
final class OpenStatements implements TransactionState.ResultsCloser {

    /**
     * Sized for the few statements a connection opened per request or per unit of work has at a
     * time (it grows past them): the default size cleared 64 slots for every connection.
     */
    private final Set<LogicalStatement> statements = Collections.newSetFromMap(new IdentityHashMap<>(4));

    <T extends LogicalStatement> T track(T statement) {
        statements.add(statement);
        return statement;
    }

    void forget(LogicalStatement statement) {
        statements.remove(statement);
    }

    /** Releasing an execution never removes a statement from the set, so it is walked as it is. */
    @Override
    public void closeTransactionResults() throws SQLException {
        for (LogicalStatement s : statements) {
            OpenResults r = s.results();
            if (r.holdsTransactionResults()) {
                r.release();
            }
        }
    }

    @Override
    public boolean holdsTransactionResults() {
        for (LogicalStatement s : statements) {
            if (s.results().holdsTransactionResults()) {
                return true;
            }
        }
        return false;
    }

    /** Closes every statement because the connection is closing. */
    void closeAll() {
        for (LogicalStatement s : statements) {
            s.closeForConnection(); // does not call forget(), so the set is not changed under us
        }
        statements.clear();
    }
}
