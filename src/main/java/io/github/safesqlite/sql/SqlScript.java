package io.github.safesqlite.sql;

import java.util.List;

/**
 * A SQL string split into its statements. Internal to safesqlite.
 *
 * @param statements     the statements in order, empty ones left out (an all-empty string keeps one EMPTY)
 * @param normalized     the whole string with literals replaced (see {@link SqlNormalizer}), for metrics and logs
 * @param parameterCount how many parameters SQLite will number in it ({@code ?}, {@code ?NNN}, {@code :name},
 *                       {@code @name}, {@code $name}): the highest index any of them gets
 */
public record SqlScript(List<SqlStatement> statements, String normalized, int parameterCount) {

    /** True when any statement writes, so the string as a whole must run on the writer. */
    public boolean writes() {
        for (SqlStatement s : statements) {
            if (s.writes()) {
                return true;
            }
        }
        return false;
    }

    /** True when the string holds exactly one statement. */
    public boolean isSingle() {
        return statements.size() == 1;
    }

    /** The first statement. */
    public SqlStatement first() {
        return statements.get(0);
    }

    /** True when any statement is transaction control (BEGIN, COMMIT, SAVEPOINT ...). */
    public boolean hasTransactionControl() {
        for (SqlStatement s : statements) {
            if (s.isTransactionControl()) {
                return true;
            }
        }
        return false;
    }
}
