package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.Lease;
import io.github.safesqlite.engine.PhysicalConnection;
import java.sql.SQLException;

/**
 * The transaction of a batched unit of work's connection: inside a group's transaction, a
 * savepoint of its own; alone, a transaction of its own. Its writer is lent by the gate's holder,
 * so the connection never waits for the gate (docs/design.md, "Batched units of work").
 */
final class UnitScope {

    /** Named so that it cannot be confused with the application's own savepoints in messages. */
    private static final String SAVEPOINT = "safesqlite_unit";

    private final Lease writer;
    private final boolean insideGroup;

    UnitScope(Lease writer, boolean insideGroup) {
        this.writer = writer;
        this.insideGroup = insideGroup;
    }

    /** The lent writer, on which the unit's transaction runs. */
    Lease writer() {
        return writer;
    }

    /** True when the unit's transaction is a savepoint inside the group's transaction. */
    boolean insideGroup() {
        return insideGroup;
    }

    /** Begins the unit's next savepoint inside the group (alone, the router begins a transaction). */
    void beginSavepoint() throws SQLException {
        writer.physical().run("SAVEPOINT " + SAVEPOINT);
    }

    /** Ends what {@link #beginSavepoint} or the router began: commits or releases, rolls back or undoes. */
    void end(PhysicalConnection pc, boolean commit) throws SQLException {
        if (!insideGroup) {
            pc.run(commit ? "COMMIT" : "ROLLBACK");
            return;
        }
        if (!commit) {
            pc.run("ROLLBACK TO " + SAVEPOINT); // keeps the group's transaction and the savepoint
        }
        pc.run("RELEASE " + SAVEPOINT);
    }
}
