package io.github.safesqlite.sql;

/**
 * The templates of recent statements written with literal values, so that a new string built from
 * one of them is recognized in one walk over it instead of being lexed (docs/design.md, "Literal
 * strings are found by their template"). Application SQL built from values is a new string at
 * every call, but it comes from a few templates: {@code "... WHERE id = " + id}.
 *
 * <p>A template is found by the string's shape: its text with every run of digits, every
 * single-quoted string and every {@code ?} counted as one mark. The walk then checks the string
 * character by character against the template, reading a value wherever the template has a
 * {@code ?}. It gives a template only where lexing the string would give the same one with the same
 * values ({@code LiteralClassificationProperties} checks this against {@link LiteralTemplate}):
 * <ul>
 *   <li>a template's {@code ?} marks exactly the values {@link LiteralTemplate} took out, because a
 *       string with a {@code ?} of its own never gets a template;</li>
 *   <li>a value is a decimal integer that fits in a {@code long}, or a single-quoted string without
 *       the signs that send a string the long way ({@code ? : @ $}, a comment's start, a NUL);</li>
 *   <li>a value starts a token of its own (a template whose {@code ?} follows a word, a quote or a
 *       dot is not kept) and a number ends one (no letter, digit, dot or underscore after it);
 *       a string's own doubled quotes are read as the lexer reads them.</li>
 * </ul>
 * Where the lexer decides which literals are values from the tokens around them, those tokens are
 * the template's own text, compared character by character: the same tokens, so the same decision.
 *
 * <p>Bounded: a fixed number of slots, one template each, the last one seen; templates longer than
 * {@link #MAX_TEMPLATE_CHARS} are not kept. Slots are read and written without locks: an entry is
 * immutable, so a race only loses an entry, and the string then takes the lexer's way.
 */
final class TemplateIndex {

    /** Slots, a power of two: far more than the literal statements an application builds. */
    private static final int SLOTS = 512;
    /** Longer templates are lexed at every call, which costs little next to running them. */
    static final int MAX_TEMPLATE_CHARS = 2048;

    /** A template and the verdict on it (a single read or write). */
    private record Entry(String template, int values, SqlScript script) {
    }

    private final Entry[] slots = new Entry[SLOTS];

    /**
     * The script of {@code sql} from a remembered template, or null when no template of its shape
     * is remembered or the string is not that template with values in its {@code ?}.
     */
    SqlScript find(String sql) {
        if (sql.length() > StatementClassifier.MAX_CACHED_SQL_CHARS) {
            return null;
        }
        Entry e = slots[slot(shape(sql))];
        if (e == null || e.script.templateRefused()) {
            return null;
        }
        LiteralTemplate template = walk(sql, e.template, e.values);
        return template == null ? null : e.script.withLiterals(sql, template);
    }

    /**
     * Remembers {@code template}, whose verdict is {@code script}, for strings of its shape. Not
     * kept when a value in it would not start a token of its own, or when it is long.
     */
    void remember(LiteralTemplate template, SqlScript script) {
        String t = template.sql();
        if (t.length() > MAX_TEMPLATE_CHARS) {
            return;
        }
        int values = 0;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == '?') {
                if (i == 0 || !startsToken(t.charAt(i - 1))) {
                    return;
                }
                values++;
            }
        }
        slots[slot(shape(t))] = new Entry(t, values, script);
    }

    /** Whether a value right after {@code c} starts a token of its own, whatever the value is. */
    private static boolean startsToken(char c) {
        return c == ' ' || c == '(' || c == ',' || c == '=' || c == '<' || c == '>' || c == '-' || c == '+'
                || c == '\t' || c == '\n' || c == '\r';
    }

    private static int slot(int shape) {
        return (shape ^ (shape >>> 16)) & (SLOTS - 1);
    }

    /**
     * The hash of {@code s} with every run of digits, every single-quoted string and every
     * {@code ?} counted as one mark: a string and its template have the same shape.
     */
    static int shape(String s) {
        int h = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                do {
                    i++;
                } while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9');
                c = '?';
            } else if (c == '\'') {
                i = afterString(s, i);
                if (i < 0) {
                    return h; // unterminated: no template has this shape's end, the walk says no
                }
                c = '?';
            } else {
                i++;
            }
            h = 31 * h + c;
        }
        return h;
    }

    /** The index after the single-quoted string that opens at {@code open}, or -1 when it does not close. */
    private static int afterString(String s, int open) {
        int i = open + 1;
        while (true) {
            int q = s.indexOf('\'', i);
            if (q < 0) {
                return -1;
            }
            if (q + 1 < s.length() && s.charAt(q + 1) == '\'') {
                i = q + 2; // a doubled quote inside the string
                continue;
            }
            return q + 1;
        }
    }

    /** The template of {@code sql} when it is {@code template} with values in its {@code count} marks, else null. */
    private static LiteralTemplate walk(String sql, String template, int count) {
        Object[] values = new Object[count];
        int v = 0;
        int i = 0;
        int n = sql.length();
        for (int j = 0; j < template.length(); j++) {
            char t = template.charAt(j);
            if (t != '?') {
                if (i >= n || sql.charAt(i) != t) {
                    return null;
                }
                i++;
                continue;
            }
            if (i >= n) {
                return null;
            }
            char c = sql.charAt(i);
            int end;
            if (c >= '0' && c <= '9') {
                end = i + 1;
                while (end < n && sql.charAt(end) >= '0' && sql.charAt(end) <= '9') {
                    end++;
                }
                if (end < n && (sql.charAt(end) == '.' || sql.charAt(end) == '_' || LiteralTemplate.glued(sql, end))) {
                    return null; // a real, digits with separators, or a token SQLite refuses: not a value
                }
                values[v] = LiteralTemplate.value(SqlLexer.Type.NUMBER, sql, i, end);
            } else if (c == '\'') {
                end = afterString(sql, i);
                // a sign that sends the whole string the lexer's way sends it there from here too
                if (end < 0 || LiteralTemplate.hasParameterOrComment(sql, i + 1, end - 1)) {
                    return null;
                }
                values[v] = LiteralTemplate.value(SqlLexer.Type.STRING, sql, i, end);
            } else {
                return null;
            }
            if (values[v] == null) {
                return null;
            }
            v++;
            i = end;
        }
        return i == n ? new LiteralTemplate(template, values) : null;
    }
}
