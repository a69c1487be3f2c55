package io.github.safesqlite.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Splits SQL strings into statements and says what each one does. Verdicts are cached per SQL
 * string, because applications execute the same few strings over and over; a string with literal
 * values, new at every call, is worked out from its template instead. Internal to safesqlite.
 *
 * <p>Routing only gets faster with a right verdict, never more correct: a write taken for a read
 * fails on a {@code query_only} reader before doing anything and is re-run on the writer.
 */
public final class StatementClassifier {

    /** Past this many distinct strings the cache starts over, so ad-hoc SQL cannot grow it forever. */
    private static final int CACHE_LIMIT = 2048;
    /**
     * SQL longer than this is neither kept in this cache nor in a connection's statement cache:
     * memory is bounded by size, not only by count (a few thousand 150 KB multi-row INSERTs would
     * otherwise fill the heap), and compiling such a statement costs little next to running it.
     */
    public static final int MAX_CACHED_SQL_CHARS = 16 * 1024;
    /** Past this many characters of cached SQL the cache starts over too: 2048 strings of 16 KB would be 64 MB. */
    private static final long CACHE_CHARS_LIMIT = 2L * 1024 * 1024;

    private final ConcurrentHashMap<String, SqlScript> cache = new ConcurrentHashMap<>();
    private final AtomicLong cachedChars = new AtomicLong();
    /**
     * Where strings with literal values are found instead of in the cache: most are built from
     * values and never come again, and those that do come again are found by their template about
     * as fast as the cache would find them (docs/design.md, "Literal strings are found by their
     * template").
     */
    private final TemplateIndex templates = new TemplateIndex();

    /** Returns the statements of {@code sql} with their kinds. */
    public SqlScript classify(String sql) {
        SqlScript script = cache.get(sql);
        if (script == null) {
            script = templates.find(sql);
            if (script == null) {
                script = withLiterals(sql);
            }
            if (script != null) {
                return script; // a string with literal values: not cached
            }
            script = parse(sql);
            if (sql.length() <= MAX_CACHED_SQL_CHARS) {
                // the key, and the statements' own text, which is about as long again
                long size = cachedChars.addAndGet(2L * sql.length());
                if (cache.size() >= CACHE_LIMIT || size > CACHE_CHARS_LIMIT) {
                    cache.clear();
                    cachedChars.set(2L * sql.length());
                }
                cache.put(sql, script);
            }
        }
        return script;
    }

    /** For tests: how many strings the cache holds. */
    int cachedStrings() {
        return cache.size();
    }

    /**
     * The script of a statement written with literal values, from its template's: SQL built from
     * values is a new string at every call, and parsing, normalizing, counting parameters and
     * templating it took four passes over it; this takes one, and the template, which repeats,
     * is classified once (docs/design.md, "Literal SQL"), and remembered so that the next string
     * built from it is found without the lexer; without its template when SQLite refused it
     * before. Null when it has no template.
     */
    private SqlScript withLiterals(String sql) {
        LiteralTemplate template = LiteralTemplate.ofWhole(sql);
        if (template == null) {
            return null;
        }
        SqlScript verdict = classify(template.sql());
        if (verdict.templateRefused()) {
            return verdict.withLiterals(sql, null);
        }
        SqlScript script = verdict.withLiterals(sql, template);
        if (script != null) {
            templates.remember(template, verdict);
        }
        return script;
    }

    /**
     * Replaces the cached verdict for {@code sql}. Routing must stay correct under any verdict, so
     * tests use this to plant a wrong one and watch the statement still land on the right connection.
     */
    public void remember(String sql, SqlScript verdict) {
        cache.put(sql, verdict);
    }

    /**
     * The number of parameters SQLite gives {@code sql}: a bare {@code ?} takes the next index after
     * the highest so far, {@code ?NNN} takes NNN, and a name ({@code :a}, {@code @a}, {@code $a})
     * takes the next index the first time it appears and the same one after.
     */
    static int parameterCount(String sql) {
        int highest = 0;
        java.util.Map<String, Integer> named = null;
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (t != SqlLexer.Type.PARAMETER) {
                continue;
            }
            String p = lexer.text();
            if (p.equals("?")) {
                highest++;
            } else if (p.charAt(0) == '?') {
                try {
                    highest = Math.max(highest, Integer.parseInt(p.substring(1)));
                } catch (NumberFormatException e) {
                    highest++; // not a number: SQLite rejects it when preparing, which reports it properly
                }
            } else {
                if (named == null) {
                    named = new java.util.HashMap<>();
                }
                if (!named.containsKey(p)) {
                    named.put(p, ++highest);
                }
            }
        }
        return highest;
    }

    /** Parses without the cache. */
    public static SqlScript parse(String sql) {
        List<SqlStatement> statements = new ArrayList<>(1);
        SqlLexer lexer = new SqlLexer(sql);
        List<int[]> tokens = new ArrayList<>();
        StatementEnd ends = new StatementEnd();
        while (true) {
            SqlLexer.Type type = lexer.next();
            boolean boundary = type == SqlLexer.Type.END || ends.endsAt(lexer);
            if (boundary) {
                if (!tokens.isEmpty()) {
                    statements.add(classifyTokens(sql, tokens));
                }
                tokens = new ArrayList<>();
                ends.reset();
                if (type == SqlLexer.Type.END) {
                    break;
                }
                continue;
            }
            if (type != SqlLexer.Type.SEMICOLON || !tokens.isEmpty()) {
                tokens.add(new int[] {type.ordinal(), lexer.start(), lexer.end()});
            }
        }
        if (statements.isEmpty()) {
            statements.add(new SqlStatement(StatementKind.EMPTY, sql, null, null, null, false, false));
        }
        return new SqlScript(List.copyOf(statements), SqlNormalizer.normalize(sql), parameterCount(sql));
    }

    private static SqlStatement classifyTokens(String sql, List<int[]> tokens) {
        String text = sql.substring(tokens.get(0)[1], tokens.get(tokens.size() - 1)[2]);
        Cursor c = new Cursor(sql, tokens);
        boolean writerState = usesWriterState(c);
        String first = c.word(0);
        switch (first) {
            case "SELECT", "VALUES", "EXPLAIN":
                return plain(StatementKind.READ, text, writerState, c);
            case "WITH":
                return plain(mainKeywordAfterCtes(c).matches("INSERT|UPDATE|DELETE|REPLACE")
                        ? StatementKind.WRITE : StatementKind.READ, text, writerState, c);
            case "INSERT", "REPLACE":
                return new SqlStatement(StatementKind.WRITE, text, null, null, null, writerState, true);
            case "CREATE":
                if (c.word(1).equals("TEMP") || c.word(1).equals("TEMPORARY")) {
                    return new SqlStatement(StatementKind.CONNECTION_STATE, text, "CREATE " + c.word(1) + " "
                            + c.word(2), null, null, writerState, false);
                }
                return plain(StatementKind.WRITE, text, writerState, c);
            case "ATTACH", "DETACH":
                return new SqlStatement(StatementKind.CONNECTION_STATE, text, first, null, null, writerState, false);
            case "PRAGMA":
                return pragma(c, text);
            case "BEGIN":
                return new SqlStatement(StatementKind.BEGIN, text, null, null, null, false, false);
            case "COMMIT", "END":
                return new SqlStatement(StatementKind.COMMIT, text, null, null, null, false, false);
            case "ROLLBACK": {
                int to = c.indexOfWord("TO");
                if (to < 0) {
                    return new SqlStatement(StatementKind.ROLLBACK, text, null, null, null, false, false);
                }
                int nameAt = c.word(to + 1).equals("SAVEPOINT") ? to + 2 : to + 1;
                return new SqlStatement(StatementKind.ROLLBACK_TO, text, c.name(nameAt), null, null, false, false);
            }
            case "SAVEPOINT":
                return new SqlStatement(StatementKind.SAVEPOINT, text, c.name(1), null, null, false, false);
            case "RELEASE": {
                int nameAt = c.word(1).equals("SAVEPOINT") ? 2 : 1;
                return new SqlStatement(StatementKind.RELEASE, text, c.name(nameAt), null, null, false, false);
            }
            default:
                // Unknown or malformed: the writer runs it and SQLite gives the verdict.
                return plain(StatementKind.WRITE, text, writerState, c);
        }
    }

    private static SqlStatement plain(StatementKind kind, String text, boolean writerState, Cursor c) {
        if (c.containsCall("LOAD_EXTENSION")) {
            return new SqlStatement(StatementKind.CONNECTION_STATE, text, "load_extension()", null, null, writerState, false);
        }
        return new SqlStatement(kind, text, null, null, null, writerState, false);
    }

    private static boolean usesWriterState(Cursor c) {
        return c.containsCall("LAST_INSERT_ROWID") || c.containsCall("CHANGES") || c.containsCall("TOTAL_CHANGES");
    }

    /** Skips {@code WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...), ...} and returns the next keyword. */
    private static String mainKeywordAfterCtes(Cursor c) {
        int i = 1;
        if (c.word(i).equals("RECURSIVE")) {
            i++;
        }
        while (i < c.size()) {
            i++; // the CTE's name
            if (c.isPunctuation(i, '(')) {
                i = c.afterParentheses(i);
            }
            if (c.word(i).equals("AS")) {
                i++;
            }
            if (c.word(i).equals("NOT")) {
                i++;
            }
            if (c.word(i).equals("MATERIALIZED")) {
                i++;
            }
            if (c.isPunctuation(i, '(')) {
                i = c.afterParentheses(i);
            }
            if (c.isPunctuation(i, ',')) {
                i++;
                continue;
            }
            return c.word(i);
        }
        return "";
    }

    private static SqlStatement pragma(Cursor c, String text) {
        int i = 1;
        if (c.isPunctuation(i + 1, '.')) {
            i += 2; // schema prefix
        }
        String name = c.name(i).toLowerCase(Locale.ROOT);
        i++;
        PragmaForm form = PragmaForm.QUERY;
        String value = null;
        if (c.isPunctuation(i, '=') || c.isPunctuation(i, '(')) {
            form = c.isPunctuation(i, '=') ? PragmaForm.ASSIGN : PragmaForm.CALL;
            i++;
            StringBuilder v = new StringBuilder();
            if (c.isPunctuation(i, '-') || c.isPunctuation(i, '+')) {
                v.append(c.text(i));
                i++;
            }
            v.append(c.name(i));
            value = v.toString();
        }
        return new SqlStatement(StatementKind.PRAGMA, text, name, value, form, false, false);
    }

    private static boolean isWord(String sql, int[] token, String keyword) {
        return token[0] == SqlLexer.Type.WORD.ordinal() && token[2] - token[1] == keyword.length()
                && sql.regionMatches(true, token[1], keyword, 0, keyword.length());
    }

    /** Indexed access to one statement's tokens. */
    private static final class Cursor {
        private final String sql;
        private final List<int[]> tokens;

        Cursor(String sql, List<int[]> tokens) {
            this.sql = sql;
            this.tokens = tokens;
        }

        int size() {
            return tokens.size();
        }

        /** The upper-cased word at {@code i}, or "" when there is none or it is not a word. */
        String word(int i) {
            if (i >= tokens.size() || tokens.get(i)[0] != SqlLexer.Type.WORD.ordinal()) {
                return "";
            }
            return text(i).toUpperCase(Locale.ROOT);
        }

        String text(int i) {
            if (i >= tokens.size()) {
                return "";
            }
            return sql.substring(tokens.get(i)[1], tokens.get(i)[2]);
        }

        /** An identifier or value at {@code i} without quotes. */
        String name(int i) {
            if (i >= tokens.size()) {
                return "";
            }
            int[] t = tokens.get(i);
            SqlLexer lexer = new SqlLexer(sql.substring(t[1], t[2]));
            lexer.next();
            return lexer.unquotedText();
        }

        boolean isPunctuation(int i, char ch) {
            return i < tokens.size() && tokens.get(i)[0] == SqlLexer.Type.PUNCTUATION.ordinal()
                    && sql.charAt(tokens.get(i)[1]) == ch;
        }

        int indexOfWord(String keyword) {
            for (int i = 0; i < tokens.size(); i++) {
                if (isWord(sql, tokens.get(i), keyword)) {
                    return i;
                }
            }
            return -1;
        }

        boolean containsCall(String function) {
            for (int i = 0; i + 1 < tokens.size(); i++) {
                if (isWord(sql, tokens.get(i), function) && isPunctuation(i + 1, '(')) {
                    return true;
                }
            }
            return false;
        }

        int afterParentheses(int open) {
            int depth = 0;
            for (int i = open; i < tokens.size(); i++) {
                if (isPunctuation(i, '(')) {
                    depth++;
                } else if (isPunctuation(i, ')')) {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            }
            return tokens.size();
        }
    }
}
