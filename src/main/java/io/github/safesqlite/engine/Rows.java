package io.github.safesqlite.engine;

import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetFactory;
import javax.sql.rowset.RowSetProvider;

/** Rows copied into memory, so the connection they came from can be given back before they are read. Internal. */
public final class Rows {

    private static final RowSetFactory ROW_SETS;

    static {
        try {
            ROW_SETS = RowSetProvider.newFactory();
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Rows() {
    }

    /** A copy of what is left of {@code rs}; {@code rs} itself stays open. */
    public static ResultSet copy(ResultSet rs) throws SQLException {
        CachedRowSet copy = ROW_SETS.createCachedRowSet();
        copy.populate(rs);
        return copy;
    }

    /**
     * One row holding an INSERT's key, shaped as sqlite-jdbc's {@code getGeneratedKeys()}: one
     * column labelled {@code last_insert_rowid()}.
     */
    public static ResultSet key(long rowId) throws SQLException {
        javax.sql.rowset.RowSetMetaDataImpl meta = new javax.sql.rowset.RowSetMetaDataImpl();
        meta.setColumnCount(1);
        meta.setColumnName(1, "last_insert_rowid()");
        meta.setColumnLabel(1, "last_insert_rowid()");
        meta.setColumnType(1, java.sql.Types.BIGINT);
        meta.setColumnTypeName(1, "BIGINT");
        CachedRowSet row = ROW_SETS.createCachedRowSet();
        row.setMetaData(meta);
        row.moveToInsertRow();
        row.updateLong(1, rowId);
        row.insertRow();
        row.moveToCurrentRow();
        row.beforeFirst();
        return row;
    }

    /** An empty result with no columns (generated keys when there are none). */
    public static ResultSet empty() throws SQLException {
        return ROW_SETS.createCachedRowSet();
    }
}
