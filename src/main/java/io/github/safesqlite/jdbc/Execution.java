package io.github.safesqlite.jdbc;

import io.github.safesqlite.sql.SqlScript;
import io.github.safesqlite.sql.SqlStatement;

/**
 * One execution as the application asked for it: which statement, what SQL (classified), which
 * parameters, which JDBC execute method, and whether an INSERT's key is read. It is the
 * one object that travels from the statement through {@link StatementRouter} to
 * {@link PhysicalExecution}, as datasource-proxy carries one {@code ExecutionInfo} past its
 * listeners; nothing along the way passes these values one by one.
 *
 * <p>A multi-statement string is one execution for the application and one {@link #part part}
 * per statement for the router. A PreparedStatement's SQL never changes, so it keeps one
 * execution per mode and a repeated execution allocates none.
 *
 * @param statement  the logical statement whose results this execution fills
 * @param script     the whole SQL string, split and classified
 * @param sql        the statement of {@code script} this execution runs
 * @param parameters recorded parameter values, or null for a plain Statement
 * @param mode       which execute method the application called
 * @param keys       whether an INSERT's generated key is read. As in sqlite-jdbc, that does not
 *                   depend on RETURN_GENERATED_KEYS but on its option {@code jdbc.get_generated_keys}
 *                   (true unless set to false); reading it costs one cached statement step
 */
record Execution(LogicalStatement statement, SqlScript script, SqlStatement sql, Parameters parameters,
                 ExecutionMode mode, boolean keys) {

    /** An execution of the whole of {@code script}, starting at its first statement. */
    static Execution of(LogicalStatement statement, SqlScript script, Parameters parameters, ExecutionMode mode) {
        return new Execution(statement, script, script.first(), parameters, mode, statement.connection.generatedKeys());
    }

    /**
     * Statement {@code index} of a multi-statement string: only the last one is run the way the
     * application asked (its results are the ones kept); the others run with {@code execute}, or,
     * for an {@code executeUpdate} (which reports the sum of the counts), counted as it counts.
     */
    Execution part(int index) {
        boolean last = index == script.statements().size() - 1;
        ExecutionMode before = mode == ExecutionMode.UPDATE || mode == ExecutionMode.UPDATE_IGNORING_ROWS
                ? ExecutionMode.UPDATE_IGNORING_ROWS : ExecutionMode.ANY;
        return new Execution(statement, script, script.statements().get(index), parameters,
                last ? mode : before, last && keys);
    }

    /** The same SQL run for a batch item: its own parameters, counted; an INSERT's key read as for any execution. */
    Execution batchItem(SqlStatement part, Parameters itemParameters) {
        return new Execution(statement, script, part, itemParameters,
                itemParameters == null ? ExecutionMode.UPDATE_IGNORING_ROWS : ExecutionMode.UPDATE, keys);
    }
}
