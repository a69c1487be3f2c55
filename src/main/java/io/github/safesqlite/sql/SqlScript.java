package io.github.safesqlite.sql;

import java.util.List;

/**
 * A SQL string split into its statements, as the classifier caches it. Immutable, except that it
 * remembers once SQLite has compiled it, so that {@code prepareStatement} checks each distinct SQL
 * string once rather than at every call. Internal to safesqlite.
 */
public final class SqlScript {

    private final List<SqlStatement> statements;
    private final String normalized;
    private final int parameterCount;
    /** Set once SQLite compiled this SQL without error; a race only compiles it twice. */
    private volatile boolean compiled;

    /**
     * @param statements     the statements in order, empty ones left out (an all-empty string keeps one EMPTY)
     * @param normalized     the whole string with literals replaced (see {@link SqlNormalizer}), for metrics and logs
     * @param parameterCount how many parameters SQLite will number in it ({@code ?}, {@code ?NNN}, {@code :name},
     *                       {@code @name}, {@code $name}): the highest index any of them gets
     */
    public SqlScript(List<SqlStatement> statements, String normalized, int parameterCount) {
        this.statements = statements;
        this.normalized = normalized;
        this.parameterCount = parameterCount;
    }

    /** The statements in order. */
    public List<SqlStatement> statements() {
        return statements;
    }

    /** The whole string with literals replaced, for metrics and logs. */
    public String normalized() {
        return normalized;
    }

    /** The highest parameter index SQLite will number in it. */
    public int parameterCount() {
        return parameterCount;
    }

    /** True once SQLite has compiled this SQL without error. */
    public boolean compiled() {
        return compiled;
    }

    /** Remembers that SQLite compiled this SQL without error. */
    public void markCompiled() {
        compiled = true;
    }

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
