package io.github.safesqlite.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns SQL into the form used in metric names and logs: every literal (string, number, blob) and
 * every bound parameter becomes {@code ?}, a list of values {@code IN (?, ?, ?)} collapses to
 * {@code IN (?)}, comments go, and white space folds to single spaces. No value from the SQL
 * survives, so the result is safe to publish, and statements that differ only in their values
 * share one name.
 */
public final class SqlNormalizer {

    /** Words after which a + or - starts a signed literal rather than a subtraction. */
    private static final Set<String> BEFORE_UNARY = Set.of("SELECT", "WHERE", "AND", "OR", "NOT", "VALUES", "SET",
            "THEN", "ELSE", "WHEN", "BY", "LIMIT", "OFFSET", "IS", "LIKE", "BETWEEN", "CASE", "ON", "HAVING", "IN",
            "RETURNING", "DEFAULT");

    /** Keywords followed by a parenthesis that is not a function call's. */
    private static final Set<String> SPACED_BEFORE_PARENTHESIS = Set.of("IN", "VALUES", "AS", "AND", "OR", "NOT",
            "ON", "EXISTS", "FROM", "JOIN", "WHERE", "SELECT", "USING", "SET", "WHEN", "THEN", "ELSE", "HAVING", "BY",
            "RETURNING", "INTO");

    private SqlNormalizer() {
    }

    /**
     * Past this many characters a normalized text keeps its start and a hash of the whole: it
     * names a metric and appears in logs, and a giant statement must not make a giant name.
     */
    static final int MAX_CHARS = 1024;

    /** The normalized text of {@code sql}, at most {@link #MAX_CHARS} characters and a hash. */
    public static String normalize(String sql) {
        String full = join(collapseValueLists(tokens(sql)));
        if (full.length() <= MAX_CHARS) {
            return full;
        }
        return full.substring(0, MAX_CHARS) + "... #" + Integer.toHexString(full.hashCode());
    }

    /** Tokens with literals replaced by "?" and signs folded into the literal they belong to. */
    private static List<String> tokens(String sql) {
        List<String> out = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            boolean literal = t == SqlLexer.Type.STRING || t == SqlLexer.Type.NUMBER || t == SqlLexer.Type.PARAMETER;
            if (literal && isUnarySign(out)) {
                out.remove(out.size() - 1);
            }
            out.add(literal ? "?" : lexer.text());
        }
        return out;
    }

    private static boolean isUnarySign(List<String> out) {
        int n = out.size();
        if (n == 0 || !(out.get(n - 1).equals("-") || out.get(n - 1).equals("+"))) {
            return false;
        }
        if (n == 1) {
            return true;
        }
        String before = out.get(n - 2);
        char c = before.charAt(before.length() - 1);
        boolean operand = Character.isLetterOrDigit(c) || c == '?' || c == ')' || c == '"' || c == ']' || c == '`'
                || c == '_';
        return !operand || BEFORE_UNARY.contains(before.toUpperCase(Locale.ROOT));
    }

    /** {@code IN ( ? , ? , ? )} becomes {@code IN ( ? )}; lists with anything but values stay as they are. */
    private static List<String> collapseValueLists(List<String> in) {
        List<String> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            out.add(in.get(i));
            if (in.get(i).equalsIgnoreCase("IN") && i + 1 < in.size() && in.get(i + 1).equals("(")) {
                int close = i + 2;
                boolean values = true;
                while (close < in.size() && !in.get(close).equals(")")) {
                    String tok = in.get(close);
                    boolean expectValue = (close - i) % 2 == 0;
                    values &= expectValue ? tok.equals("?") : tok.equals(",");
                    close++;
                }
                if (values && close < in.size() && close > i + 2) {
                    out.add("(");
                    out.add("?");
                    out.add(")");
                    i = close;
                }
            }
        }
        return out;
    }

    private static String join(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        String previous = null;
        for (String token : tokens) {
            if (previous != null && needsSpace(previous, token)) {
                out.append(' ');
            }
            out.append(token);
            previous = token;
        }
        return out.toString();
    }

    private static boolean needsSpace(String previous, String token) {
        if (token.equals(",") || token.equals(")") || token.equals(";") || token.equals(".")
                || previous.equals("(") || previous.equals(".")) {
            return false;
        }
        return !(token.equals("(") && isWordLike(previous) && !previous.equals("?")
                && !SPACED_BEFORE_PARENTHESIS.contains(previous.toUpperCase(Locale.ROOT)));
    }

    private static boolean isWordLike(String token) {
        char c = token.charAt(token.length() - 1);
        return Character.isLetterOrDigit(c) || c == '_' || c == '"' || c == ']' || c == '`';
    }
}
