package io.github.safesqlite.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    /** Words after which no value is taken, at any depth. */
    private static final Set<String> STOP = Set.of("ORDER", "GROUP", "LIMIT", "HAVING", "WINDOW", "OVER",
            "PARTITION", "UNION", "INTERSECT", "EXCEPT", "RETURNING");

    private final String sql;
    private final Object[] values;

    private LiteralTemplate(String sql, Object[] values) {
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
                || hasParameterOrComment(sql)) {
            return null;
        }
        return of(sql);
    }

    /**
     * Whether a parameter or a comment may be in {@code sql}, in one pass over it. A parameter: the
     * lexer stops taking values at the first ORDER or LIMIT, so it would not see one after them, and
     * a statement with parameters of its own gets no template. A comment: it could hide either end
     * of the statement's text. Such a sign inside a string literal only sends the string the long way.
     */
    private static boolean hasParameterOrComment(String sql) {
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '?' || c == ':' || c == '@' || c == '$') {
                return true;
            }
            if (i + 1 < sql.length() && (c == '-' && sql.charAt(i + 1) == '-' || c == '/' && sql.charAt(i + 1) == '*')) {
                return true;
            }
        }
        return false;
    }

    private static LiteralTemplate of(String text) {
        SqlLexer lexer = new SqlLexer(text);
        if (lexer.next() != SqlLexer.Type.WORD) {
            return null;
        }
        String opensAt = switch (lexer.text().toUpperCase(Locale.ROOT)) {
            case "SELECT", "DELETE" -> "WHERE";
            case "UPDATE" -> "SET";
            case "INSERT", "REPLACE" -> "VALUES";
            default -> null;
        };
        if (opensAt == null) {
            return null;
        }
        boolean insert = opensAt.equals("VALUES");
        boolean open = false;
        // per open parenthesis: whether it holds a list of values (IN (...), VALUES (...))
        java.util.ArrayDeque<Boolean> lists = new java.util.ArrayDeque<>();
        String previous = ""; // the previous token, upper case
        String beforePrevious = "";
        List<int[]> spans = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            String token = t == SqlLexer.Type.WORD ? lexer.text().toUpperCase(Locale.ROOT) : lexer.text();
            switch (t) {
                case PARAMETER, SEMICOLON:
                    return null; // its own parameters would be renumbered; a second statement is not ours
                case PUNCTUATION:
                    if (token.equals("(")) {
                        lists.push(previous.equals("IN") || previous.equals("VALUES")
                                || (previous.equals(",") && insert && lists.isEmpty()));
                    } else if (token.equals(")") && !lists.isEmpty()) {
                        lists.pop();
                    }
                    break;
                case WORD:
                    if (STOP.contains(token) || (insert && lists.isEmpty() && token.equals("ON"))) {
                        return build(text, spans, values);
                    }
                    if (lists.isEmpty() && (token.equals(opensAt) || token.equals("WHERE"))) {
                        open = true; // an UPDATE's WHERE follows its SET
                    }
                    break;
                case NUMBER:
                case STRING:
                    Object value = open && wholeOperand(previous, beforePrevious, lists) ? value(t, token) : null;
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

    /** Operators whose right-hand operand a value may be taken from (the last character of {@code <=}, {@code !=}...). */
    private static final Set<String> COMPARISONS = Set.of("=", "<", ">", "LIKE", "GLOB", "IS", "BETWEEN");

    /**
     * Whether a literal after {@code previous} (and {@code beforePrevious}) is a whole operand: of a
     * comparison or assignment, possibly signed, or an item of a list of values.
     */
    private static boolean wholeOperand(String previous, String beforePrevious, java.util.ArrayDeque<Boolean> lists) {
        if (previous.equals("-") || previous.equals("+")) {
            return COMPARISONS.contains(beforePrevious); // a sign, not a subtraction
        }
        if (previous.equals("(") || previous.equals(",")) {
            return !lists.isEmpty() && lists.peek();
        }
        return COMPARISONS.contains(previous);
    }

    /** A literal's value: a decimal integer that fits in a long, or a single-quoted string; else null. */
    private static Object value(SqlLexer.Type type, String literal) {
        if (type == SqlLexer.Type.STRING) {
            if (literal.length() < 2 || literal.charAt(0) != '\'' || literal.charAt(literal.length() - 1) != '\''
                    || literal.indexOf('\0') >= 0) {
                return null; // a blob (x'..'), unterminated, or cut short by a NUL where SQLite reads SQL: SQLite's to judge
            }
            return literal.substring(1, literal.length() - 1).replace("''", "'");
        }
        for (int i = 0; i < literal.length(); i++) {
            if (literal.charAt(i) < '0' || literal.charAt(i) > '9') {
                return null; // real, hexadecimal or with digit separators
            }
        }
        try {
            return Long.parseLong(literal);
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
