package io.github.safesqlite.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The parameter values of a logical PreparedStatement. The physical statement is not known until
 * execution (a reader from the pool, or the writer), so values are recorded and replayed; the
 * same record replays again if a read is re-run on the writer.
 */
final class Parameters {

    private Bind[] binds = new Bind[8];
    private int highest;

    void set(int index, Bind bind) throws SQLException {
        if (index < 1) {
            throw new SQLException("parameter index " + index + " is out of range; JDBC parameters start at 1", "07009");
        }
        if (index > binds.length) {
            binds = Arrays.copyOf(binds, Math.max(index, binds.length * 2));
        }
        binds[index - 1] = bind;
        highest = Math.max(highest, index);
    }

    void clear() {
        Arrays.fill(binds, 0, highest, null);
        highest = 0;
    }

    void applyTo(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < highest; i++) {
            if (binds[i] != null) {
                binds[i].apply(statement);
            }
        }
    }

    Parameters copy() {
        Parameters p = new Parameters();
        p.binds = Arrays.copyOf(binds, binds.length);
        p.highest = highest;
        return p;
    }
}
