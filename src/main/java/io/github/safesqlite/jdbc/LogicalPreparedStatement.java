package io.github.safesqlite.jdbc;

import io.github.safesqlite.sql.SqlScript;
import io.github.safesqlite.sql.StatementKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.invoke.MethodHandle;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;

/**
 * A PreparedStatement whose parameters are recorded and replayed onto a cached physical statement
 * of whichever connection runs it. Streams, readers and LOBs are read when they are set, because a
 * read refused by a reader is re-run on the writer and must bind the same values again.
 */
public abstract class LogicalPreparedStatement extends LogicalStatement implements PreparedStatement {

    private static final MethodHandle FACTORY = Delegation.constructor(LogicalPreparedStatement.class,
            LogicalConnection.class, String.class, SqlScript.class);

    private final String sql;
    /** Classified once here: the SQL of a PreparedStatement never changes, so no execution looks it up again. */
    private final SqlScript script;
    private final Parameters parameters;
    /** One execution per mode, made at first use: the SQL never changes, so re-running allocates none. */
    private final Execution[] executions = new Execution[ExecutionMode.values().length];
    private List<BatchItem> batch;
    private PreparedStatement described;

    protected LogicalPreparedStatement(LogicalConnection connection, String sql, SqlScript script) {
        super(connection);
        this.sql = sql;
        this.script = script;
        this.parameters = new Parameters(script.parameterCount(), connection.lock());
    }

    static LogicalPreparedStatement create(LogicalConnection connection, String sql) throws SQLException {
        SqlScript script = connection.engine().classifier().classify(sql);
        if (!script.isSingle()) {
            throw new SQLException("a PreparedStatement takes one SQL statement, but this SQL has "
                    + script.statements().size() + "; use Statement.execute for several, or prepare each one", "42000");
        }
        if (!script.compiled() && script.first().kind() != StatementKind.EMPTY) {
            compile(connection, sql);
            script.markCompiled();
        }
        try {
            return (LogicalPreparedStatement) FACTORY.invokeExact(connection, sql, script);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a logical PreparedStatement", t);
        }
    }

    /**
     * Fails now, as sqlite-jdbc does, when SQLite cannot compile {@code sql} (a syntax error, a
     * missing table or column): the statement would otherwise run later on a connection chosen then.
     * Done once per distinct SQL string the classifier remembers, so re-preparing costs nothing.
     */
    private static void compile(LogicalConnection connection, String sql) throws SQLException {
        connection.locked(() -> {
            connection.describeConnection().prepareStatement(sql).close();
            return null;
        });
    }

    private Execution execution(ExecutionMode mode) {
        Execution e = executions[mode.ordinal()];
        if (e == null) {
            e = Execution.of(this, script, parameters, mode);
            executions[mode.ordinal()] = e;
        }
        return e;
    }

    private void set(int index, Object value, Bind bind) throws SQLException {
        checkOpen();
        parameters.set(index, value, bind);
    }

    // ---- execution ------------------------------------------------------------------------

    @Override
    public ResultSet executeQuery() throws SQLException {
        run(execution(ExecutionMode.QUERY));
        return getResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) executeLargeUpdate();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        run(execution(ExecutionMode.UPDATE));
        return Math.max(getLargeUpdateCount(), 0);
    }

    @Override
    public boolean execute() throws SQLException {
        return run(execution(ExecutionMode.ANY));
    }

    @Override
    public void addBatch() throws SQLException {
        connection.locked(() -> {
            checkOpen();
            if (batch == null) {
                batch = new ArrayList<>();
            }
            batch.add(new BatchItem(sql, parameters.copy()));
            return null;
        });
    }

    @Override
    public void clearBatch() throws SQLException {
        connection.locked(() -> {
            checkOpen();
            batch = null;
            return null;
        });
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return connection.locked(() -> {
            checkOpen();
            releaseExecution();
            List<BatchItem> work = batch == null ? List.of() : batch;
            batch = null;
            return connection.executeBatch(this, work);
        });
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        parameters.clear();
    }

    /** JDBC forbids the SQL-taking execute methods on a PreparedStatement. */
    private SQLException sqlOnPrepared() {
        return new SQLException("this is a PreparedStatement: call execute(), executeQuery() or executeUpdate() "
                + "without SQL, or use a plain Statement", "HY000");
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        throw sqlOnPrepared();
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        throw sqlOnPrepared();
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        throw sqlOnPrepared();
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        throw sqlOnPrepared();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw sqlOnPrepared();
    }

    // ---- description ----------------------------------------------------------------------

    /** A physical statement prepared only to describe this SQL; it never runs. */
    private PreparedStatement described() throws SQLException {
        return connection.locked(() -> {
            checkOpen();
            if (described == null) {
                described = connection.describeConnection().prepareStatement(sql);
            }
            return described;
        });
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return described().getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        described(); // fails now if closed
        return new LogicalParameterMetaData(() -> connection.locked(
                () -> LogicalParameterMetaData.bound(described(), parameters)));
    }

    @Override
    public void close() throws SQLException {
        connection.locked(() -> {
            try {
                super.close();
            } finally {
                if (described != null) {
                    described.close();
                    described = null;
                }
            }
            return null;
        });
    }

    // ---- parameters -----------------------------------------------------------------------

    @Override
    public void setNull(int i, int sqlType) throws SQLException {
        checkOpen();
        parameters.setNull(i, sqlType);
    }

    @Override
    public void setNull(int i, int sqlType, String typeName) throws SQLException {
        set(i, null, ps -> ps.setNull(i, sqlType, typeName));
    }

    @Override
    public void setBoolean(int i, boolean x) throws SQLException {
        checkOpen();
        parameters.setBoolean(i, x);
    }

    @Override
    public void setByte(int i, byte x) throws SQLException {
        checkOpen();
        parameters.setInt(i, x); // sqlite-jdbc binds a byte as an int
    }

    @Override
    public void setShort(int i, short x) throws SQLException {
        checkOpen();
        parameters.setInt(i, x); // sqlite-jdbc binds a short as an int
    }

    @Override
    public void setInt(int i, int x) throws SQLException {
        checkOpen();
        parameters.setInt(i, x);
    }

    @Override
    public void setLong(int i, long x) throws SQLException {
        checkOpen();
        parameters.setLong(i, x);
    }

    @Override
    public void setFloat(int i, float x) throws SQLException {
        set(i, x, ps -> ps.setFloat(i, x));
    }

    @Override
    public void setDouble(int i, double x) throws SQLException {
        checkOpen();
        parameters.setDouble(i, x);
    }

    @Override
    public void setBigDecimal(int i, BigDecimal x) throws SQLException {
        set(i, x, ps -> ps.setBigDecimal(i, x));
    }

    @Override
    public void setString(int i, String x) throws SQLException {
        checkOpen();
        parameters.setString(i, x);
    }

    @Override
    public void setNString(int i, String x) throws SQLException {
        setString(i, x);
    }

    @Override
    public void setBytes(int i, byte[] x) throws SQLException {
        byte[] copy = x == null ? null : x.clone();
        set(i, copy, ps -> ps.setBytes(i, copy));
    }

    @Override
    public void setDate(int i, Date x) throws SQLException {
        set(i, x, ps -> ps.setDate(i, x));
    }

    @Override
    public void setDate(int i, Date x, Calendar cal) throws SQLException {
        set(i, x, ps -> ps.setDate(i, x, cal));
    }

    @Override
    public void setTime(int i, Time x) throws SQLException {
        set(i, x, ps -> ps.setTime(i, x));
    }

    @Override
    public void setTime(int i, Time x, Calendar cal) throws SQLException {
        set(i, x, ps -> ps.setTime(i, x, cal));
    }

    @Override
    public void setTimestamp(int i, Timestamp x) throws SQLException {
        set(i, x, ps -> ps.setTimestamp(i, x));
    }

    @Override
    public void setTimestamp(int i, Timestamp x, Calendar cal) throws SQLException {
        set(i, x, ps -> ps.setTimestamp(i, x, cal));
    }

    @Override
    public void setObject(int i, Object x) throws SQLException {
        set(i, x, ps -> ps.setObject(i, x));
    }

    @Override
    public void setObject(int i, Object x, int targetSqlType) throws SQLException {
        set(i, x, ps -> ps.setObject(i, x, targetSqlType));
    }

    @Override
    public void setObject(int i, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        set(i, x, ps -> ps.setObject(i, x, targetSqlType, scaleOrLength));
    }

    @Override
    public void setObject(int i, Object x, SQLType targetSqlType) throws SQLException {
        set(i, x, ps -> ps.setObject(i, x, targetSqlType));
    }

    @Override
    public void setObject(int i, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        set(i, x, ps -> ps.setObject(i, x, targetSqlType, scaleOrLength));
    }

    @Override
    public void setBinaryStream(int i, InputStream x, int length) throws SQLException {
        setBytesOrNull(i, readBytes(x, length));
    }

    @Override
    public void setBinaryStream(int i, InputStream x, long length) throws SQLException {
        setBytesOrNull(i, readBytes(x, length));
    }

    @Override
    public void setBinaryStream(int i, InputStream x) throws SQLException {
        setBytesOrNull(i, readBytes(x, -1));
    }

    @Override
    public void setAsciiStream(int i, InputStream x, int length) throws SQLException {
        setAsciiStream(i, x, (long) length);
    }

    @Override
    public void setAsciiStream(int i, InputStream x, long length) throws SQLException {
        byte[] bytes = readBytes(x, length);
        setString(i, bytes == null ? null : new String(bytes, StandardCharsets.US_ASCII));
    }

    @Override
    public void setAsciiStream(int i, InputStream x) throws SQLException {
        setAsciiStream(i, x, -1L);
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int i, InputStream x, int length) throws SQLException {
        byte[] bytes = readBytes(x, length);
        setString(i, bytes == null ? null : new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public void setCharacterStream(int i, Reader reader, int length) throws SQLException {
        setString(i, readChars(reader, length));
    }

    @Override
    public void setCharacterStream(int i, Reader reader, long length) throws SQLException {
        setString(i, readChars(reader, length));
    }

    @Override
    public void setCharacterStream(int i, Reader reader) throws SQLException {
        setString(i, readChars(reader, -1));
    }

    @Override
    public void setNCharacterStream(int i, Reader value, long length) throws SQLException {
        setString(i, readChars(value, length));
    }

    @Override
    public void setNCharacterStream(int i, Reader value) throws SQLException {
        setString(i, readChars(value, -1));
    }

    @Override
    public void setBlob(int i, Blob x) throws SQLException {
        setBytesOrNull(i, x == null ? null : x.getBytes(1, (int) x.length()));
    }

    @Override
    public void setBlob(int i, InputStream inputStream, long length) throws SQLException {
        setBytesOrNull(i, readBytes(inputStream, length));
    }

    @Override
    public void setBlob(int i, InputStream inputStream) throws SQLException {
        setBytesOrNull(i, readBytes(inputStream, -1));
    }

    @Override
    public void setClob(int i, Clob x) throws SQLException {
        setString(i, x == null ? null : x.getSubString(1, (int) x.length()));
    }

    @Override
    public void setClob(int i, Reader reader, long length) throws SQLException {
        setString(i, readChars(reader, length));
    }

    @Override
    public void setClob(int i, Reader reader) throws SQLException {
        setString(i, readChars(reader, -1));
    }

    @Override
    public void setNClob(int i, NClob value) throws SQLException {
        setClob(i, value);
    }

    @Override
    public void setNClob(int i, Reader reader, long length) throws SQLException {
        setString(i, readChars(reader, length));
    }

    @Override
    public void setNClob(int i, Reader reader) throws SQLException {
        setString(i, readChars(reader, -1));
    }

    @Override
    public void setRef(int i, Ref x) throws SQLException {
        throw unsupportedType("REF");
    }

    @Override
    public void setArray(int i, Array x) throws SQLException {
        throw unsupportedType("ARRAY");
    }

    @Override
    public void setURL(int i, URL x) throws SQLException {
        throw unsupportedType("DATALINK (URL); bind url.toString() instead");
    }

    @Override
    public void setRowId(int i, RowId x) throws SQLException {
        throw unsupportedType("ROWID objects; bind the rowid as a long instead");
    }

    @Override
    public void setSQLXML(int i, SQLXML xmlObject) throws SQLException {
        throw unsupportedType("SQLXML; bind the XML as a string instead");
    }

    private static SQLFeatureNotSupportedException unsupportedType(String what) {
        return new SQLFeatureNotSupportedException("SQLite has no " + what, "0A000");
    }

    private void setBytesOrNull(int i, byte[] bytes) throws SQLException {
        if (bytes == null) {
            setNull(i, java.sql.Types.BLOB);
        } else {
            set(i, bytes, ps -> ps.setBytes(i, bytes));
        }
    }

    private static byte[] readBytes(InputStream in, long length) throws SQLException {
        if (in == null) {
            return null;
        }
        try {
            return length < 0 ? in.readAllBytes() : in.readNBytes((int) Math.min(length, Integer.MAX_VALUE));
        } catch (IOException e) {
            throw new SQLException("could not read the stream bound as a parameter: " + e.getMessage(), "22000", e);
        }
    }

    private static String readChars(Reader reader, long length) throws SQLException {
        if (reader == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            long left = length < 0 ? Long.MAX_VALUE : length;
            while (left > 0) {
                int n = reader.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.append(buffer, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw new SQLException("could not read the character stream bound as a parameter: " + e.getMessage(),
                    "22000", e);
        }
        return out.toString();
    }
}
