package io.github.safesqlite.sql;

/**
 * One classified SQL statement. Internal to safesqlite.
 *
 * @param kind            what the statement is
 * @param sql             the statement's own text, without the separating semicolon
 * @param name            the savepoint name, the PRAGMA name (lower case, no schema), or a short
 *                        description of the connection-state operation; otherwise {@code null}
 * @param value           a PRAGMA's argument with quotes removed, or {@code null}
 * @param pragmaForm      how a PRAGMA was written, or {@code null} for other statements
 * @param usesWriterState reads per-connection results of the last write ({@code last_insert_rowid()},
 *                        {@code changes()}, {@code total_changes()}), which only the writer knows
 * @param insert          an INSERT or REPLACE, the only statements that can produce generated keys
 */
public record SqlStatement(StatementKind kind, String sql, String name, String value, PragmaForm pragmaForm,
                           boolean usesWriterState, boolean insert) {

    /** True when the statement changes the database according to its syntax alone. */
    public boolean writes() {
        return kind == StatementKind.WRITE;
    }

    /** PRAGMAs that do nothing, or cannot do their job, inside a transaction. */
    private static final java.util.Set<String> OUTSIDE_TRANSACTION_PRAGMAS =
            java.util.Set.of("wal_checkpoint", "journal_mode", "foreign_keys", "page_size", "auto_vacuum");

    /**
     * False for statements SQLite refuses or ignores inside a transaction (VACUUM, and PRAGMAs such
     * as {@code wal_checkpoint} or {@code page_size}): a multi-statement string holding one cannot
     * run as one transaction.
     */
    public boolean canRunInTransaction() {
        if (kind == StatementKind.PRAGMA) {
            return name == null || !OUTSIDE_TRANSACTION_PRAGMAS.contains(name);
        }
        // The text starts at the statement's first token, so no lexer is needed (this runs per autocommit write).
        return !(sql.regionMatches(true, 0, "VACUUM", 0, 6)
                && (sql.length() == 6 || !Character.isLetterOrDigit(sql.charAt(6)) && sql.charAt(6) != '_'));
    }

    /** True for BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE and ROLLBACK TO. */
    public boolean isTransactionControl() {
        return switch (kind) {
            case BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK_TO -> true;
            default -> false;
        };
    }
}
