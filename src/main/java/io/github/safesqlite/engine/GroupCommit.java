package io.github.safesqlite.engine;

import java.sql.SQLException;
import java.util.List;

/**
 * Runs autocommit writes queued behind the writer as one physical transaction, so that they share
 * one COMMIT (and, with {@code synchronous=FULL}, one sync) instead
 * of paying one each. The states, who commits, what a caller waits for and what each failure does
 * are in {@code docs/design.md}, "Group commit". This class only runs a group whose members the
 * writer gate has already claimed; it sets each member's result or failure and tells nobody: the
 * gate publishes them once this returns, so no caller hears of a write before its COMMIT.
 */
final class GroupCommit {

    /** The transaction control a group needs, on the writer. */
    interface Transaction {
        /** {@code BEGIN IMMEDIATE}. */
        void begin() throws SQLException;

        /**
         * Whether the transaction is still open after a member's statement failed. SQLite undoes a
         * failed statement by itself and keeps the transaction (a constraint, a missing table), so
         * members need no savepoint of their own; but some failures end the whole transaction (an
         * I/O error, a full disk, {@code OR ROLLBACK}, a trigger's {@code RAISE(ROLLBACK)}).
         */
        boolean stillOpen() throws SQLException;

        /** {@code COMMIT}. */
        void commit() throws SQLException;

        /** {@code ROLLBACK}, when the group cannot commit. */
        void rollback() throws SQLException;
    }

    /** Runs one member's task, timed as a hold of the gate. */
    @FunctionalInterface
    interface Runner {
        Object run(WriterGate.Task<?> task) throws SQLException;
    }

    private GroupCommit() {
    }

    /** Transaction control on {@code writer}. */
    static Transaction on(PhysicalConnection writer) {
        return new Transaction() {
            @Override
            public void begin() throws SQLException {
                writer.run("BEGIN IMMEDIATE");
            }

            @Override
            public boolean stillOpen() throws SQLException {
                return writer.inTransaction();
            }

            @Override
            public void commit() throws SQLException {
                writer.run("COMMIT");
            }

            @Override
            public void rollback() throws SQLException {
                writer.run("ROLLBACK");
            }
        };
    }

    /**
     * Runs {@code members} (at least two) as one transaction; afterwards each member holds its own
     * outcome, as it would have had alone.
     *
     * @return true when they were committed together, false when they ran alone instead
     */
    static boolean run(Transaction tx, List<WriterGate.Ticket> members, Runner runner) {
        try {
            tx.begin();
        } catch (SQLException busy) {
            // Another process holds the write lock: each member runs alone, with its own retries.
            runAlone(members, runner);
            return false;
        }
        for (WriterGate.Ticket m : members) {
            if (!runMember(tx, m, runner)) {
                // The transaction itself is gone (an I/O error, OR ROLLBACK, a trigger's RAISE(ROLLBACK)):
                // whatever the members before this one did went with it, so they run again alone.
                rollbackQuietly(tx);
                runAloneAfter(members, m, runner);
                return false;
            }
        }
        try {
            tx.commit();
            return true;
        } catch (SQLException commitFailed) {
            // Nothing of the group remains. Each member that had succeeded runs again alone and gets
            // the outcome it would have had without company (one member's deferred foreign key must
            // not fail the others).
            rollbackQuietly(tx);
            for (WriterGate.Ticket m : members) {
                if (m.failure == null) {
                    runAlone(m, runner);
                }
            }
            return false;
        }
    }

    /**
     * Runs one member; false when the group's transaction did not survive it. A statement that
     * fails is undone by SQLite itself (statement atomicity), so no savepoint is needed around it:
     * that saves two statements per member, a third of a grouped insert's work.
     */
    private static boolean runMember(Transaction tx, WriterGate.Ticket m, Runner runner) {
        try {
            m.result = runner.run(m.task);
            return true;
        } catch (Throwable statementFailed) {
            m.failure = statementFailed;
            try {
                return tx.stillOpen();
            } catch (SQLException cannotTell) {
                statementFailed.addSuppressed(cannotTell);
                return false; // its own failure stands: alone, it would have failed the same way
            }
        }
    }

    /** After the group broke at {@code broken}: it keeps its failure if it failed; every other member runs alone. */
    private static void runAloneAfter(List<WriterGate.Ticket> members, WriterGate.Ticket broken, Runner runner) {
        for (WriterGate.Ticket m : members) {
            if (m != broken || m.failure == null) {
                runAlone(m, runner);
            }
        }
    }

    private static void runAlone(List<WriterGate.Ticket> members, Runner runner) {
        for (WriterGate.Ticket m : members) {
            runAlone(m, runner);
        }
    }

    /** Runs one member's task alone, leaving its own outcome on it. */
    static void runAlone(WriterGate.Ticket m, Runner runner) {
        m.result = null;
        m.failure = null;
        try {
            m.result = runner.run(m.task);
        } catch (Throwable e) {
            m.failure = e;
        }
    }

    private static void rollbackQuietly(Transaction tx) {
        try {
            tx.rollback();
        } catch (SQLException alreadyRolledBack) {
            // SQLite ended the transaction itself; nothing of it remains either way
        }
    }
}
