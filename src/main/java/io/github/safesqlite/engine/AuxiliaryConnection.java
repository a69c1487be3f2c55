package io.github.safesqlite.engine;

import java.sql.SQLException;

/**
 * A connection for calls that touch no data (metadata queries, descriptions of prepared SQL, the
 * health snapshot's {@code journal_mode}): one extra {@code query_only} connection opened at first
 * use and shared (sqlite-jdbc serializes calls on one connection, so sharing it is safe); for an
 * in-memory database, the writer itself.
 */
final class AuxiliaryConnection {

    private final ReaderPool.Opener opener;
    private final PhysicalConnection fixed;
    private PhysicalConnection opened;
    private boolean closed;

    /** Opens its own connection with {@code opener} at first use. */
    AuxiliaryConnection(ReaderPool.Opener opener) {
        this.opener = opener;
        this.fixed = null;
    }

    /** Always answers {@code connection} (an in-memory database's one connection), and never closes it. */
    AuxiliaryConnection(PhysicalConnection connection) {
        this.opener = null;
        this.fixed = connection;
    }

    synchronized PhysicalConnection get() throws SQLException {
        if (fixed != null) {
            return fixed;
        }
        if (closed) {
            throw new SQLException("the auxiliary connection is closed", "08003");
        }
        if (opened == null) {
            opened = opener.open();
        }
        return opened;
    }

    synchronized void close() {
        closed = true;
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }
}
