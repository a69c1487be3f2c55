package io.github.safesqlite.retry;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Classifies SQLite failures by sqlite-jdbc's extended result code, never by message text.
 * Internal to safesqlite.
 */
public final class SqliteErrors {

    private SqliteErrors() {
    }

    /** The extended result code of {@code e} or of the first SQLiteException among its causes, or null. */
    public static SQLiteErrorCode code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException se) {
                return se.getResultCode();
            }
        }
        return null;
    }

    /**
     * True when a {@code query_only} connection refused to write: plain SQLITE_READONLY, raised before
     * the statement changed anything. The extended READONLY codes mean other trouble (a read-only
     * file, a moved database) and are not a routing matter.
     */
    public static boolean isQueryOnlyRefusal(SQLException e) {
        return code(e) == SQLiteErrorCode.SQLITE_READONLY;
    }

    /** True for SQLITE_BUSY and its extended codes. */
    public static boolean isBusy(SQLException e) {
        SQLiteErrorCode c = code(e);
        return c != null && (c.code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code;
    }

    /** True for SQLITE_LOCKED and its extended codes. */
    public static boolean isLocked(SQLException e) {
        SQLiteErrorCode c = code(e);
        return c != null && (c.code & 0xff) == SQLiteErrorCode.SQLITE_LOCKED.code;
    }
}
