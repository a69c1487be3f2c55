package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.CachedStatement;
import io.github.safesqlite.engine.PhysicalConnection;
import io.github.safesqlite.engine.PragmaPolicy;
import io.github.safesqlite.engine.Rows;
import io.github.safesqlite.sql.LiteralTemplate;
import io.github.safesqlite.sql.SqlStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Runs one statement on one physical connection with the same JDBC call the application made, on
 * a cached physical statement, and turns what it produced into an {@link Outcome}. Where the
 * statement runs is decided by {@link StatementRouter}; this class only runs it.
 */
final class PhysicalExecution {

    private PhysicalExecution() {
    }

    /** Runs one statement on {@code pc} with the same JDBC call the application made. */
    static Outcome run(PhysicalConnection pc, Execution e) throws SQLException {
        SqlStatement s = e.sql();
        Parameters params = e.parameters();
        OpenResults results = e.statement().results();
        if (PragmaPolicy.describesSchema(s)) {
            pc.refreshSchema();
        }
        LiteralTemplate template = params == null ? e.script().template(s) : null;
        CachedStatement cs = template == null ? null : prepareTemplate(pc, template);
        if (cs == null) {
            cs = pc.prepare(s.sql());
            if (template != null) {
                e.script().forgetTemplate(); // refused, and the statement as written compiles
                template = null;
            }
        }
        boolean keep = false;
        boolean failed = true;
        try {
            results.executing(cs);
            PreparedStatement ps = cs.statement();
            if (params != null) {
                params.applyTo(ps, cs.parameterCount());
            } else if (template != null) {
                template.bind(ps);
            } else if (cs.parameterCount() > 0) {
                ps.clearParameters(); // SQL with '?' run through a plain Statement: unbound means NULL
            }
            Outcome outcome = results.outcome();
            switch (e.mode()) {
                case QUERY:
                    outcome.withRows(ps.executeQuery(), cs);
                    break;
                case UPDATE:
                    outcome.withCount(ps.executeLargeUpdate());
                    break;
                case UPDATE_IGNORING_ROWS:
                    // Counted as sqlite-jdbc counts Statement.executeUpdate: every row this statement changed,
                    // triggers' included, and 0 for DDL (not the previous statement's changes()).
                    long before = pc.raw().getDatabase().total_changes();
                    if (ps.execute()) {
                        ps.getResultSet().close();
                    }
                    outcome.withCount(pc.raw().getDatabase().total_changes() - before);
                    break;
                default:
                    if (ps.execute()) {
                        outcome.withRows(ps.getResultSet(), cs);
                    } else {
                        outcome.withCount(ps.getLargeUpdateCount());
                    }
            }
            failed = false;
            keep = outcome.hasRows();
            if (e.keys() && !keep && s.insert()) {
                outcome.withKey(lastInsertRowId(pc));
            }
            return outcome;
        } finally {
            results.finishedExecuting();
            if (failed) {
                cs.discard();
            } else if (!keep) {
                cs.release();
            }
        }
    }

    /**
     * The compiled template of a statement written with literals, from the statement cache; null when
     * SQLite refuses it, and the statement then runs as written, failing as written if it fails (a
     * template is forgotten only once the statement as written compiles: a missing table may appear).
     */
    private static CachedStatement prepareTemplate(PhysicalConnection pc, LiteralTemplate template) {
        try {
            return pc.prepare(template.sql());
        } catch (SQLException refused) {
            return null;
        }
    }

    /**
     * An INSERT's key, read on the writer while the caller still holds it (later another INSERT
     * may have run there). Only the number is read: the ResultSet is made when the application
     * asks for it.
     */
    private static long lastInsertRowId(PhysicalConnection pc) throws SQLException {
        CachedStatement cs = pc.prepare("SELECT last_insert_rowid()");
        long id;
        try (ResultSet rs = cs.statement().executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        } catch (SQLException e) {
            cs.discard();
            throw e;
        }
        cs.release();
        return id;
    }

    /** Copies open rows into memory and gives their physical statement back. */
    static Outcome detached(Outcome o) throws SQLException {
        if (!o.hasRows()) {
            return o;
        }
        ResultSet open = o.rows();
        CachedStatement cs = o.physical();
        try {
            return o.withCopiedRows(Rows.copy(open));
        } finally {
            open.close();
            cs.release();
        }
    }
}
