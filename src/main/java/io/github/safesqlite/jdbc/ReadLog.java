package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.CachedStatement;
import io.github.safesqlite.engine.PhysicalConnection;
import io.github.safesqlite.sql.SqlStatement;
import io.github.safesqlite.sql.StatementKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reads an optimistic transaction made on its reader ({@code optimistic_transactions}). When
 * something was committed between its first read and its first write, they run again, on the
 * reader's snapshot (still open) and on the writer (now, under the gate): if every one returns the
 * same rows, the commit changed nothing the transaction saw, and it goes on as if it had read on
 * the writer. Comparing whole results is stricter than what the application looked at, which only
 * errs towards a conflict; so does anything not replayable (a PRAGMA, too many reads or rows).
 */
final class ReadLog {

    /** Past this many reads a transaction is not worth replaying: it conflicts. */
    private static final int MAX_READS = 64;
    /** Rows compared at most, over all reads, per replay. */
    private static final int MAX_ROWS = 10_000;

    private record Read(SqlStatement sql, Parameters parameters) {
    }

    private final List<Read> reads = new ArrayList<>();
    private boolean replayable = true;

    /** Records a read of the reader phase, with a copy of its parameters as they were bound. */
    void record(Execution e) {
        if (!replayable) {
            return;
        }
        if (e.sql().kind() != StatementKind.READ || reads.size() >= MAX_READS) {
            replayable = false;
            reads.clear();
            return;
        }
        reads.add(new Read(e.sql(), e.parameters() == null ? null : e.parameters().copy()));
    }

    /** Forgets the transaction's reads: it ended or moved to the writer. */
    void clear() {
        reads.clear();
        replayable = true;
    }

    /**
     * True when every recorded read returns the same rows on {@code snapshot} as on {@code now}; false
     * too when a read cannot run again (its failure only means the transaction conflicts).
     */
    boolean sameOn(PhysicalConnection snapshot, PhysicalConnection now) {
        if (!replayable) {
            return false;
        }
        try {
            return replay(snapshot, now);
        } catch (SQLException cannotReplay) {
            return false;
        }
    }

    private boolean replay(PhysicalConnection snapshot, PhysicalConnection now) throws SQLException {
        int[] budget = {MAX_ROWS};
        for (Read r : reads) {
            List<Object[]> before = rows(snapshot, r, budget);
            if (before == null) {
                return false;
            }
            List<Object[]> after = rows(now, r, budget);
            if (after == null || before.size() != after.size()) {
                return false;
            }
            for (int i = 0; i < before.size(); i++) {
                if (!Arrays.deepEquals(before.get(i), after.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The read's rows on {@code pc}, or null once more than the budget's rows were read. */
    private static List<Object[]> rows(PhysicalConnection pc, Read r, int[] budget) throws SQLException {
        CachedStatement cs = pc.prepare(r.sql().sql());
        List<Object[]> rows = new ArrayList<>();
        try {
            PreparedStatement ps = cs.statement();
            if (r.parameters() != null) {
                r.parameters().applyTo(ps, cs.parameterCount());
            } else if (cs.parameterCount() > 0) {
                ps.clearParameters();
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rows != null && rs.next()) {
                    if (--budget[0] < 0) {
                        rows = null;
                        break;
                    }
                    Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = rs.getObject(c + 1);
                    }
                    rows.add(row);
                }
            }
        } catch (SQLException | RuntimeException e) {
            cs.discard();
            throw e;
        }
        cs.release();
        return rows;
    }
}
