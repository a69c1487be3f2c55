package io.github.safesqlite.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement written with literal values, as SQL with {@code ?} in their place plus the values to
 * bind: {@code UPDATE account SET balance = balance - 5 WHERE id = 42} runs as
 * {@code UPDATE account SET balance = balance - ? WHERE id = ?} with 5 and 42. Applications that
 * build SQL from values compile a new statement for every call; run through its template, the
 * statement is compiled once per connection and found in the statement cache after that.
 * Internal to safesqlite.
 *
 * <p>Only where a bound value means exactly what the literal meant (docs/design.md, "Literal SQL"):
 * <ul>
 *   <li>single SELECT, INSERT, REPLACE, UPDATE and DELETE statements with no parameters of their own;</li>
 *   <li>only the values of a SELECT's or DELETE's top-level WHERE, an UPDATE's SET and WHERE, an
 *       INSERT's VALUES. Nothing in a SELECT's result columns, whose names SQLite takes from their
 *       text ({@code SELECT 5} is a column named {@code 5});</li>
 *   <li>nothing from the first ORDER, GROUP, LIMIT, HAVING, WINDOW, OVER, PARTITION, a compound
 *       operator, RETURNING, or an INSERT's ON CONFLICT onward: {@code ORDER BY 2} names a column, a
 *       bound 2 would be a constant;</li>
 *   <li>only decimal integers that fit in a {@code long} (a real number's text is SQLite's to round)
 *       and single-quoted strings; never blobs;</li>
 *   <li>only a value that is a whole operand of a comparison ({@code = < > <= >= != <> LIKE GLOB IS
 *       BETWEEN}), of an assignment, or an item of an {@code IN (...)} or {@code VALUES (...)} list.
 *       A literal inside an expression ({@code json_extract(doc, '$.kind')}) stays: an index on that
 *       expression matches the expression's text, and SQLite does not match a parameter there. Where
 *       a value decides the plan (a partial index's WHERE, a LIKE prefix, STAT4 statistics) SQLite
 *       compiles the statement again with the bound value, so the plan is the literal's.</li>
 * </ul>
 * A value that has no affinity as a literal has none as a parameter, and a stored value takes its
 * column's affinity either way, so the rows are the same. A template that SQLite refuses is not
 * used: the statement runs as written, and fails as written.
 */
public final class LiteralTemplate {

    /** Past this many values the statement runs as written (a multi-row INSERT is compiled once anyway). */
    static final int MAX_VALUES = 64;

    private final String sql;
    private final Object[] values;

    LiteralTemplate(String sql, Object[] values) {
        this.sql = sql;
        this.values = values;
    }

    /** The statement with {@code ?} in place of its values. */
    public String sql() {
        return sql;
    }

    /** Binds the values, in order, to a statement compiled from {@link #sql()}. */
    public void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof Long n) {
                ps.setLong(i + 1, n);
            } else {
                ps.setString(i + 1, (String) values[i]);
            }
        }
    }

    /** The template of {@code statement}, or null when it has no values that can be taken out. */
    static LiteralTemplate of(SqlStatement statement) {
        if (statement.kind() != StatementKind.READ && statement.kind() != StatementKind.WRITE) {
            return null;
        }
        return of(statement.sql());
    }

    /**
     * The template of a whole SQL string not yet classified, or null when it has no values that can
     * be taken out, or when the string is not exactly one statement's text: white space or a comment
     * at either end (which a statement's text leaves out) sends it the long way, through the parser.
     * Only a first word of SELECT, DELETE, UPDATE, INSERT or REPLACE gives a template, so the caller
     * still checks that the template classifies as a read or a write.
     */
    static LiteralTemplate ofWhole(String sql) {
        if (sql.isEmpty() || Character.isWhitespace(sql.charAt(0)) || Character.isWhitespace(sql.charAt(sql.length() - 1))
                || hasParameterOrComment(sql, 0, sql.length())) {
            return null;
        }
        return of(sql);
    }

    /**
     * Whether a parameter or a comment may be in {@code sql}, in one pass over it. A parameter: the
     * lexer stops taking values at the first ORDER or LIMIT, so it would not see one after them, and
     * a statement with parameters of its own gets no template. A comment: it could hide either end
     * of the statement's text. Such a sign inside a string literal only sends the string the long way.
     * Looks at {@code [from, to)} of {@code sql}.
     */
    static boolean hasParameterOrComment(String sql, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = sql.charAt(i);
            if (c == '?' || c == ':' || c == '@' || c == '$') {
                return true;
            }
            if (i + 1 < to && (c == '-' && sql.charAt(i + 1) == '-' || c == '/' && sql.charAt(i + 1) == '*')) {
                return true;
            }
        }
        return false;
    }

    /*
     * What a token is to the template, as far as the tokens after it care. Words are compared where
     * they stand (SqlLexer.is), neither cut out nor upper-cased: a transaction or a batched unit
     * pays for its template while it holds the writer (docs/design.md, "The template reads words in
     * place": 380-425 ns per statement against 544-569 ns).
     */
    private static final int OTHER = 0;
    private static final int IN = 1;
    private static final int VALUES = 2;
    private static final int COMMA = 3;
    private static final int OPEN = 4;
    private static final int SIGN = 5;
    /** =, <, > (the last character of <=, != ...), LIKE, GLOB, IS, BETWEEN: a value may be their right-hand operand. */
    private static final int COMPARISON = 6;
    /** Words a value may follow from where they stand on: WHERE, and an UPDATE's SET (an INSERT's is VALUES). */
    private static final int WHERE = 7;
    private static final int SET = 8;
    /** ON, which ends an INSERT's values where an upsert begins. */
    private static final int ON = 9;
    /** ORDER, GROUP, LIMIT, HAVING, WINDOW, OVER, PARTITION, UNION, INTERSECT, EXCEPT, RETURNING: no value after them, at any depth. */
    private static final int STOP_WORD = 10;

    /** Past this depth of parentheses the statement runs as written (one bit per level below). */
    private static final int MAX_DEPTH = 63;

    private static LiteralTemplate of(String text) {
        SqlLexer lexer = new SqlLexer(text);
        if (lexer.next() != SqlLexer.Type.WORD) {
            return null;
        }
        int opensAt = lexer.is("SELECT") || lexer.is("DELETE") ? WHERE
                : lexer.is("UPDATE") ? SET
                : lexer.is("INSERT") || lexer.is("REPLACE") ? VALUES
                : OTHER;
        if (opensAt == OTHER) {
            return null;
        }
        boolean insert = opensAt == VALUES;
        boolean open = false;
        // per open parenthesis, one bit: whether it holds a list of values (IN (...), VALUES (...))
        long lists = 0;
        int depth = 0;
        int previous = OTHER;
        int beforePrevious = OTHER;
        List<int[]> spans = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            int token = OTHER;
            switch (t) {
                case PARAMETER, SEMICOLON:
                    return null; // its own parameters would be renumbered; a second statement is not ours
                case PUNCTUATION:
                    if (lexer.isPunctuation('(')) {
                        if (depth == MAX_DEPTH) {
                            return null;
                        }
                        boolean list = previous == IN || previous == VALUES || (previous == COMMA && insert && depth == 0);
                        lists = list ? lists | (1L << depth) : lists & ~(1L << depth);
                        depth++;
                        token = OPEN;
                    } else if (lexer.isPunctuation(')')) {
                        depth = Math.max(0, depth - 1);
                    } else if (lexer.isPunctuation(',')) {
                        token = COMMA;
                    } else if (lexer.isPunctuation('-') || lexer.isPunctuation('+')) {
                        token = SIGN;
                    } else if (lexer.isPunctuation('=') || lexer.isPunctuation('<') || lexer.isPunctuation('>')) {
                        token = COMPARISON;
                    }
                    break;
                case WORD:
                    int word = keyword(lexer);
                    if (word == STOP_WORD || (insert && depth == 0 && word == ON)) {
                        return build(text, spans, values);
                    }
                    if (depth == 0 && (word == opensAt || word == WHERE)) {
                        open = true; // an UPDATE's WHERE follows its SET
                    }
                    token = word == IN || word == VALUES || word == COMPARISON ? word : OTHER;
                    break;
                case NUMBER:
                    if (glued(text, lexer.end())) {
                        return null; // SQLite refuses "5AND" as written, where "?AND" would compile
                    }
                    // a number is a value as a string is
                case STRING:
                    boolean inList = depth > 0 && (lists & (1L << (depth - 1))) != 0;
                    Object value = open && wholeOperand(previous, beforePrevious, inList) && !digitAt(text, lexer.end())
                            ? value(t, text, lexer.start(), lexer.end()) : null;
                    if (value != null) {
                        if (values.size() == MAX_VALUES) {
                            return null;
                        }
                        spans.add(new int[] {lexer.start(), lexer.end()});
                        values.add(value);
                    }
                    break;
                default:
                    break;
            }
            beforePrevious = previous;
            previous = token;
        }
        return build(text, spans, values);
    }

    /**
     * Whether the character at {@code at} would glue itself to a number before it: SQLite's
     * tokenizer reads a number followed by a letter, {@code $} or a non-ASCII character as one
     * unrecognized token, an error the statement as written must still give.
     */
    static boolean glued(String text, int at) {
        if (at >= text.length()) {
            return false;
        }
        char c = text.charAt(at);
        return Character.isLetter(c) || c == '$' || c > 0x7f;
    }

    /** Whether a digit is at {@code at}: after a value's {@code ?} it would number the parameter ({@code ?0}). */
    private static boolean digitAt(String text, int at) {
        return at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9';
    }

    /**
     * What the current word is to the template: one of the codes above, {@link #STOP_WORD} for a
     * word after which no value is taken, or {@link #OTHER}. Only the keywords of the word's length
     * are compared.
     */
    private static int keyword(SqlLexer lexer) {
        return switch (lexer.end() - lexer.start()) {
            case 2 -> lexer.is("IN") ? IN : lexer.is("ON") ? ON : lexer.is("IS") ? COMPARISON : OTHER;
            case 3 -> lexer.is("SET") ? SET : OTHER;
            case 4 -> lexer.is("LIKE") || lexer.is("GLOB") ? COMPARISON : lexer.is("OVER") ? STOP_WORD : OTHER;
            case 5 -> lexer.is("WHERE") ? WHERE
                    : lexer.is("ORDER") || lexer.is("GROUP") || lexer.is("LIMIT") || lexer.is("UNION") ? STOP_WORD
                    : OTHER;
            case 6 -> lexer.is("VALUES") ? VALUES
                    : lexer.is("HAVING") || lexer.is("WINDOW") || lexer.is("EXCEPT") ? STOP_WORD
                    : OTHER;
            case 7 -> lexer.is("BETWEEN") ? COMPARISON : OTHER;
            case 9 -> lexer.is("PARTITION") || lexer.is("INTERSECT") || lexer.is("RETURNING") ? STOP_WORD : OTHER;
            default -> OTHER;
        };
    }

    /**
     * Whether a literal after {@code previous} (and {@code beforePrevious}) is a whole operand: of a
     * comparison or assignment, possibly signed, or an item of a list of values ({@code inList}: the
     * innermost open parenthesis holds one).
     */
    private static boolean wholeOperand(int previous, int beforePrevious, boolean inList) {
        if (previous == SIGN) {
            return beforePrevious == COMPARISON; // a sign, not a subtraction
        }
        if (previous == OPEN || previous == COMMA) {
            return inList;
        }
        return previous == COMPARISON;
    }

    /**
     * The value of the literal at {@code [start, end)} of {@code text}: a decimal integer that fits in
     * a long, or a single-quoted string; else null. Read in place: a statement's numbers are not cut
     * out of it first.
     */
    static Object value(SqlLexer.Type type, String text, int start, int end) {
        if (type == SqlLexer.Type.STRING) {
            if (end - start < 2 || text.charAt(start) != '\'' || text.charAt(end - 1) != '\'') {
                return null; // a blob (x'..') or unterminated: SQLite's to judge
            }
            String inner = text.substring(start + 1, end - 1);
            if (inner.indexOf('\0') >= 0) {
                return null; // cut short by a NUL where SQLite reads SQL: SQLite's to judge
            }
            return inner.indexOf('\'') < 0 ? inner : inner.replace("''", "'");
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null; // real, hexadecimal or with digit separators
            }
            n = n * 10 + (c - '0');
        }
        if (end - start < 19) {
            return n; // at most 18 digits: no overflow
        }
        try {
            return Long.parseLong(text, start, end, 10);
        } catch (NumberFormatException tooLarge) {
            return null; // SQLite reads it as a real
        }
    }

    private static LiteralTemplate build(String text, List<int[]> spans, List<Object> values) {
        if (values.isEmpty()) {
            return null;
        }
        StringBuilder sql = new StringBuilder(text.length());
        int from = 0;
        for (int[] span : spans) {
            sql.append(text, from, span[0]).append('?');
            from = span[1];
        }
        sql.append(text, from, text.length());
        return new LiteralTemplate(sql.toString(), values.toArray());
    }
}
