package io.github.safesqlite.jdbc;

import io.github.safesqlite.SafeSqliteListener;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parameter values of a logical PreparedStatement. The physical statement is not known until
 * execution (a reader from the pool, or the writer), so values are recorded and replayed; the
 * same record replays again if a read is re-run on the writer.
 *
 * <p>The common types (null, int, long, double, boolean, String) are kept in typed slots, so that
 * binding and replaying them allocates nothing beyond what sqlite-jdbc's own setter allocates;
 * every other type is kept as a {@link Bind} that replays the application's exact call.
 */
final class Parameters implements SafeSqliteListener.BoundValues {

    private static final byte UNSET = 0;
    private static final byte NULL = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte DOUBLE = 4;
    private static final byte BOOLEAN = 5;
    private static final byte STRING = 6;
    private static final byte OTHER = 7;

    private byte[] kinds = new byte[8];
    /** int, long and boolean values, a double's bits, or a NULL's SQL type. */
    private long[] numbers = new long[8];
    /** A String value, or the value an OTHER binding shows in the slow-query log. */
    private Object[] objects = new Object[8];
    private Bind[] others = new Bind[8];
    private int highest;
    /** The statement's parameter count: an index past it fails when it is set, as in sqlite-jdbc. */
    private final int limit;
    /** The connection's lock: binding is serialized with executions that replay these values. */
    private final ReentrantLock lock;

    /** Values for a statement with {@code limit} parameters on the connection that {@code lock} guards. */
    Parameters(int limit, ReentrantLock lock) {
        this.limit = limit;
        this.lock = lock;
    }

    void setNull(int index, int sqlType) throws SQLException {
        put(index, NULL, sqlType, null, null);
    }

    void setInt(int index, int value) throws SQLException {
        put(index, INT, value, null, null);
    }

    void setLong(int index, long value) throws SQLException {
        put(index, LONG, value, null, null);
    }

    void setDouble(int index, double value) throws SQLException {
        put(index, DOUBLE, Double.doubleToRawLongBits(value), null, null);
    }

    void setBoolean(int index, boolean value) throws SQLException {
        put(index, BOOLEAN, value ? 1 : 0, null, null);
    }

    void setString(int index, String value) throws SQLException {
        put(index, STRING, 0, value, null);
    }

    /** Records any other binding; {@code value} is kept only to describe the parameters in a log. */
    void set(int index, Object value, Bind bind) throws SQLException {
        put(index, OTHER, 0, value, bind);
    }

    /** Records one value, holding the connection's lock: binding is serialized with the executions that replay it. */
    private void put(int index, byte kind, long number, Object object, Bind bind) throws SQLException {
        lock.lock();
        try {
            int s = slot(index, kind); // first: it may replace the arrays
            numbers[s] = number;
            objects[s] = object;
            others[s] = bind;
        } finally {
            lock.unlock();
        }
    }

    /** Marks {@code index} as holding {@code kind} and returns its slot; the caller fills the slot. */
    private int slot(int index, byte kind) throws SQLException {
        if (index < 1 || index > limit) {
            throw new SQLException("parameter index " + index + " is out of range: this statement has " + limit
                    + " parameter(s), numbered from 1", "07009");
        }
        if (index > kinds.length) {
            int size = Math.max(index, kinds.length * 2);
            kinds = Arrays.copyOf(kinds, size);
            numbers = Arrays.copyOf(numbers, size);
            objects = Arrays.copyOf(objects, size);
            others = Arrays.copyOf(others, size);
        }
        int s = index - 1;
        kinds[s] = kind;
        highest = Math.max(highest, index);
        return s;
    }

    void clear() {
        lock.lock();
        try {
            Arrays.fill(kinds, 0, highest, UNSET);
            Arrays.fill(objects, 0, highest, null);
            Arrays.fill(others, 0, highest, null);
            highest = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Binds every recorded value on {@code statement}, and NULL to the rest of its {@code count}
     * parameters: a cached physical statement keeps the values of its previous use, and SQLite's
     * rule is that a parameter nobody bound is NULL.
     */
    void applyTo(PreparedStatement statement, int count) throws SQLException {
        int end = Math.max(highest, count);
        for (int i = 0; i < end; i++) {
            int p = i + 1;
            switch (i < kinds.length ? kinds[i] : UNSET) {
                case UNSET -> statement.setNull(p, Types.NULL);
                case NULL -> statement.setNull(p, (int) numbers[i]);
                case INT -> statement.setInt(p, (int) numbers[i]);
                case LONG -> statement.setLong(p, numbers[i]);
                case DOUBLE -> statement.setDouble(p, Double.longBitsToDouble(numbers[i]));
                case BOOLEAN -> statement.setBoolean(p, numbers[i] != 0);
                case STRING -> statement.setString(p, (String) objects[i]);
                default -> others[i].apply(statement);
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
            Object v = value(i);
            String text = v instanceof byte[] b ? "<" + b.length + " bytes>" : String.valueOf(v);
            out.append(text.length() > 100 ? text.substring(0, 100) + "..." : text);
        }
        return out.append(']').toString();
    }

    private Object value(int i) {
        return switch (kinds[i]) {
            case INT, LONG -> numbers[i];
            case DOUBLE -> Double.longBitsToDouble(numbers[i]);
            case BOOLEAN -> numbers[i] != 0;
            case UNSET, NULL -> null;
            default -> objects[i];
        };
    }

    Parameters copy() {
        Parameters p = new Parameters(limit, lock);
        p.kinds = Arrays.copyOf(kinds, kinds.length);
        p.numbers = Arrays.copyOf(numbers, numbers.length);
        p.objects = Arrays.copyOf(objects, objects.length);
        p.others = Arrays.copyOf(others, others.length);
        p.highest = highest;
        return p;
    }
}
