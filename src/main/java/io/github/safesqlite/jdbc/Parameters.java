package io.github.safesqlite.jdbc;

import io.github.safesqlite.metrics.BoundValues;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The parameter values of a logical PreparedStatement. The physical statement is not known until
 * execution (a reader from the pool, or the writer), so values are recorded and replayed; the
 * same record replays again if a read is re-run on the writer.
 */
final class Parameters implements BoundValues {

    private Bind[] binds = new Bind[8];
    private Object[] values = new Object[8];
    private int highest;

    /** Records {@code bind}; {@code value} is kept only to describe the parameters in a log. */
    void set(int index, Object value, Bind bind) throws SQLException {
        if (index < 1) {
            throw new SQLException("parameter index " + index + " is out of range; JDBC parameters start at 1", "07009");
        }
        if (index > binds.length) {
            binds = Arrays.copyOf(binds, Math.max(index, binds.length * 2));
            values = Arrays.copyOf(values, binds.length);
        }
        binds[index - 1] = bind;
        values[index - 1] = value;
        highest = Math.max(highest, index);
    }

    void clear() {
        Arrays.fill(binds, 0, highest, null);
        Arrays.fill(values, 0, highest, null);
        highest = 0;
    }

    void applyTo(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < highest; i++) {
            if (binds[i] != null) {
                binds[i].apply(statement);
            }
        }
    }

    /** The bound values as text, for the slow-query log when the user allowed it; long values are cut. */
    @Override
    public String describe() {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < highest; i++) {
            if (i > 0) {
                out.append(", ");
            }
            Object v = values[i];
            String text = v instanceof byte[] b ? "<" + b.length + " bytes>" : String.valueOf(v);
            out.append(text.length() > 100 ? text.substring(0, 100) + "..." : text);
        }
        return out.append(']').toString();
    }

    Parameters copy() {
        Parameters p = new Parameters();
        p.binds = Arrays.copyOf(binds, binds.length);
        p.values = Arrays.copyOf(values, values.length);
        p.highest = highest;
        return p;
    }
}
