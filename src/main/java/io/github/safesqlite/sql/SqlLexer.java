package io.github.safesqlite.sql;

/**
 * Walks SQL text the way SQLite's tokenizer does, as far as routing needs: words, quoted
 * strings and identifiers, numbers, punctuation and semicolons, with comments and white space
 * skipped. It never interprets a token's value, so it cannot be fooled into splitting inside a
 * string or a comment.
 */
final class SqlLexer {

    enum Type { WORD, STRING, IDENTIFIER, NUMBER, PARAMETER, PUNCTUATION, SEMICOLON, END }

    private final String sql;
    private int pos;
    private Type type;
    private int start;
    private int end;

    SqlLexer(String sql) {
        this.sql = sql;
    }

    /** Advances to the next token and returns its type ({@link Type#END} at the end of input). */
    Type next() {
        skipBlankAndComments();
        start = pos;
        if (pos >= sql.length()) {
            type = Type.END;
            end = pos;
            return type;
        }
        char c = sql.charAt(pos);
        if (c == ';') {
            pos++;
            type = Type.SEMICOLON;
        } else if (c == '\'') {
            skipQuoted('\'');
            type = Type.STRING;
        } else if (c == '"' || c == '`') {
            skipQuoted(c);
            type = Type.IDENTIFIER;
        } else if (c == '[') {
            int close = sql.indexOf(']', pos + 1);
            pos = close < 0 ? sql.length() : close + 1;
            type = Type.IDENTIFIER;
        } else if ((c == 'x' || c == 'X') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
            pos++;
            skipQuoted('\'');
            type = Type.STRING;
        } else if (isWordStart(c)) {
            while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                pos++;
            }
            type = Type.WORD;
        } else if (Character.isDigit(c) || (c == '.' && pos + 1 < sql.length() && Character.isDigit(sql.charAt(pos + 1)))) {
            skipNumber();
            type = Type.NUMBER;
        } else if (c == '?') {
            // digits only, as SQLite reads it: "?AND" is a parameter and a keyword
            pos++;
            while (pos < sql.length() && sql.charAt(pos) >= '0' && sql.charAt(pos) <= '9') {
                pos++;
            }
            type = Type.PARAMETER;
        } else if (c == ':' || c == '@' || c == '$') {
            pos++;
            while (pos < sql.length() && (isWordPart(sql.charAt(pos)))) {
                pos++;
            }
            type = pos - start > 1 ? Type.PARAMETER : Type.PUNCTUATION;
        } else {
            pos++;
            type = Type.PUNCTUATION;
        }
        end = pos;
        return type;
    }

    Type type() {
        return type;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    String text() {
        return sql.substring(start, end);
    }

    /** True when the current token is the given keyword, compared case-insensitively. */
    boolean is(String keyword) {
        return type == Type.WORD && end - start == keyword.length()
                && sql.regionMatches(true, start, keyword, 0, keyword.length());
    }

    boolean isPunctuation(char c) {
        return type == Type.PUNCTUATION && sql.charAt(start) == c;
    }

    /** The current identifier-like token without its quotes, for names such as savepoints. */
    String unquotedText() {
        if (type == Type.IDENTIFIER || type == Type.STRING) {
            char open = sql.charAt(start);
            String inner = sql.substring(start + 1, Math.max(start + 1, end - 1));
            if (open == '[') {
                return inner;
            }
            String twice = String.valueOf(open) + open;
            return inner.replace(twice, String.valueOf(open));
        }
        return text();
    }

    private void skipBlankAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '-') {
                int nl = sql.indexOf('\n', pos);
                pos = nl < 0 ? sql.length() : nl + 1;
            } else if (c == '/' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '*') {
                int close = sql.indexOf("*/", pos + 2);
                pos = close < 0 ? sql.length() : close + 2;
            } else {
                return;
            }
        }
    }

    private void skipQuoted(char quote) {
        pos++;
        while (pos < sql.length()) {
            if (sql.charAt(pos) == quote) {
                if (pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
                    pos += 2;
                    continue;
                }
                pos++;
                return;
            }
            pos++;
        }
    }

    private void skipNumber() {
        if (sql.startsWith("0x", pos) || sql.startsWith("0X", pos)) {
            pos += 2;
            while (pos < sql.length() && Character.digit(sql.charAt(pos), 16) >= 0) {
                pos++;
            }
            return;
        }
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isDigit(c) || c == '.' || c == '_') {
                pos++;
            } else if ((c == 'e' || c == 'E') && pos + 1 < sql.length()) {
                pos++;
                if (sql.charAt(pos) == '+' || sql.charAt(pos) == '-') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 0x7f;
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }
}
