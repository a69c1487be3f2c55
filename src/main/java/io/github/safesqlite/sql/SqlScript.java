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
    /** The single statement's {@link LiteralTemplate}, {@link #NO_TEMPLATE}, or null before first asked. */
    private volatile Object template;
    private static final Object NO_TEMPLATE = new Object();
    /**
     * For the script of a string with literal values: its template's script, which then remembers
     * for every string of that template that SQLite refused the template.
     */
    private SqlScript templateScript;
    /** Set on a template's script once SQLite refused the template for a string built from it. */
    private volatile boolean templateRefused;
    /**
     * Set on a template's script once a string built from it compiled as written: every string of
     * the template compiles then, because its values change neither its syntax nor the names in it.
     */
    private volatile boolean literalsCompiled;

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

    /**
     * True once SQLite has compiled this SQL without error; for a string with literal values, once
     * it compiled a string of the same template (such strings are new at every call).
     */
    public boolean compiled() {
        return templateScript == null ? compiled : templateScript.literalsCompiled;
    }

    /** Remembers that SQLite compiled this SQL without error. */
    public void markCompiled() {
        if (templateScript == null) {
            compiled = true;
        } else {
            templateScript.literalsCompiled = true;
        }
    }

    /**
     * The literal template of {@code statement} when it is this string's only statement, else null.
     * Worked out once per string, so SQL executed again costs a field read.
     */
    public LiteralTemplate template(SqlStatement statement) {
        if (statements.size() != 1 || statements.get(0) != statement) {
            return null;
        }
        Object t = template;
        if (t == null) {
            LiteralTemplate made = LiteralTemplate.of(statement);
            t = made == null ? NO_TEMPLATE : made;
            template = t; // a race only works it out twice
        }
        return t == NO_TEMPLATE ? null : (LiteralTemplate) t;
    }

    /**
     * The script of {@code sql}, a statement with literal values whose template is this script's
     * SQL: the same statement, kind and flags (values change none of them), the same normalized
     * text (the normalizer turns literals and parameters alike into {@code ?}), no parameters of its
     * own, and {@code template} already worked out (null: SQLite refused it, the statement runs as
     * written). Null unless this is a single read or write.
     */
    SqlScript withLiterals(String sql, LiteralTemplate template) {
        if (statements.size() != 1) {
            return null;
        }
        SqlStatement s = statements.get(0);
        if (s.kind() != StatementKind.READ && s.kind() != StatementKind.WRITE) {
            return null;
        }
        SqlScript script = new SqlScript(List.of(new SqlStatement(s.kind(), sql, s.name(), s.value(), s.pragmaForm(),
                s.usesWriterState(), s.insert())), normalized, 0);
        script.templateScript = this; // before the volatile write below, which publishes it
        script.template = template == null ? NO_TEMPLATE : template;
        return script;
    }

    /**
     * Forgets the template: SQLite refused it while it compiled the statement as written, so trying
     * it again would only compile twice at every execution.
     */
    public void forgetTemplate() {
        template = NO_TEMPLATE;
        if (templateScript != null) {
            templateScript.templateRefused = true;
        }
    }

    /** True once SQLite refused this script's SQL as the template of a string with literal values. */
    boolean templateRefused() {
        return templateRefused;
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
