package io.github.safesqlite.sql;

/**
 * Where a statement ends, decided the way SQLite's own {@code sqlite3_complete()} decides it: a
 * semicolon ends a statement, except inside {@code CREATE [TEMP] TRIGGER}, whose body ends only
 * at an {@code END} that directly follows a semicolon and is directly followed by one (or by the
 * end of the text). So a column called {@code end} or {@code begin}, a {@code CASE ... END} in a
 * trigger body, and semicolons in strings, quoted names and comments never split a statement.
 *
 * <pre>
 *   token:      ;      other  EXPLAIN  CREATE  TEMP   TRIGGER  END
 *   START       START  NORMAL EXPLAIN  CREATE  NORMAL NORMAL   NORMAL
 *   NORMAL      START  NORMAL NORMAL   NORMAL  NORMAL NORMAL   NORMAL
 *   EXPLAIN     START  EXPLAIN NORMAL  CREATE  NORMAL NORMAL   NORMAL
 *   CREATE      START  NORMAL NORMAL   NORMAL  CREATE TRIGGER  NORMAL
 *   TRIGGER     SEMI   TRIGGER ...                              TRIGGER
 *   SEMI        SEMI   TRIGGER ...                              END
 *   END         START  TRIGGER ...                              TRIGGER
 * </pre>
 * A semicolon that leads back to START ends the statement.
 */
final class StatementEnd {

    private enum State { START, NORMAL, EXPLAIN, CREATE, TRIGGER, SEMI, END }

    private State state = State.START;

    /**
     * Feeds the lexer's current token.
     *
     * @return true when it is a semicolon that ends the statement
     */
    boolean endsAt(SqlLexer lexer) {
        SqlLexer.Type type = lexer.type();
        boolean semicolon = type == SqlLexer.Type.SEMICOLON;
        state = switch (state) {
            case START, NORMAL, EXPLAIN, CREATE -> semicolon ? State.START : outsideTrigger(lexer);
            case TRIGGER -> semicolon ? State.SEMI : State.TRIGGER;
            case SEMI -> semicolon ? State.SEMI : lexer.is("END") ? State.END : State.TRIGGER;
            case END -> semicolon ? State.START : State.TRIGGER;
        };
        return semicolon && state == State.START;
    }

    private State outsideTrigger(SqlLexer lexer) {
        switch (state) {
            case START:
                return lexer.is("EXPLAIN") ? State.EXPLAIN : lexer.is("CREATE") ? State.CREATE : State.NORMAL;
            case EXPLAIN:
                return lexer.is("CREATE") ? State.CREATE : lexer.is("EXPLAIN") ? State.NORMAL : State.EXPLAIN;
            case CREATE:
                return lexer.is("TEMP") || lexer.is("TEMPORARY") ? State.CREATE
                        : lexer.is("TRIGGER") ? State.TRIGGER : State.NORMAL;
            default:
                return State.NORMAL;
        }
    }

    /** Starts over for the next statement. */
    void reset() {
        state = State.START;
    }
}
