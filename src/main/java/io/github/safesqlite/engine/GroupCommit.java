package io.github.safesqlite.engine;

import java.sql.SQLException;
import java.util.List;

/**
 * Runs autocommit writes and batched units of work queued behind the writer as one physical
 * transaction, so that they share
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
    static WriterTransaction on(PhysicalConnection writer) {
        return new WriterTransaction(writer);
    }

    /**
     * A group's transaction on the writer, and whether it is open now: a batched unit of work
     * sets a savepoint inside it, but begins its own transaction when it runs alone.
     */
    static final class WriterTransaction implements Transaction {
        private final PhysicalConnection writer;
        /** Written and read only by the gate's holder; the gate's hand-off orders it between holders. */
        private boolean open;

        private WriterTransaction(PhysicalConnection writer) {
            this.writer = writer;
        }

        /** True between a successful BEGIN IMMEDIATE and the group's COMMIT or ROLLBACK. */
        boolean isOpen() {
            return open;
        }

        @Override
        public void begin() throws SQLException {
            writer.run("BEGIN IMMEDIATE");
            open = true;
        }

        @Override
        public boolean stillOpen() throws SQLException {
            open = writer.inTransaction();
            return open;
        }

        @Override
        public void commit() throws SQLException {
            writer.run("COMMIT");
            open = false;
        }

        @Override
        public void rollback() throws SQLException {
            open = false;
            writer.run("ROLLBACK");
        }
    }

    /**
     * Runs {@code members} (one or more) as one transaction; afterwards each member holds its own
     * outcome, as it would have had alone. Before the COMMIT, members that {@code more} hands over
     * (tasks that queued while the group ran) join the same transaction and are added to
     * {@code members}; the group commits as soon as {@code more} has none (whether {@code more}
     * first gives company on its way back a few turns is its business: {@link CompanyWait}).
     *
     * @return true when they were committed together, false when they ran alone instead
     */
    static boolean run(Transaction tx, List<WriterGate.Ticket> members, Runner runner,
            java.util.function.Supplier<WriterGate.Ticket> more) {
        try {
            tx.begin();
        } catch (SQLException busy) {
            // Another process holds the write lock: each member runs alone, with its own retries.
            runAlone(members, runner);
            return false;
        }
        for (int i = 0; ; i++) {
            if (i == members.size()) {
                WriterGate.Ticket late = more.get();
                if (late == null) {
                    break;
                }
                members.add(late);
            }
            if (!runMember(tx, members.get(i), runner)) {
                // The transaction itself is gone (an I/O error, OR ROLLBACK, a trigger's RAISE(ROLLBACK)).
                rollbackQuietly(tx);
                runAlone(members, runner);
                return false;
            }
        }
        try {
            tx.commit();
            return true;
        } catch (SQLException commitFailed) {
            // Nothing of the group remains (one member's deferred foreign key fails the whole COMMIT).
            rollbackQuietly(tx);
            runAlone(members, runner);
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

    /**
     * Runs every member again alone, in order, after the group failed: what each did inside it is
     * gone, and so is what it saw there. A member that failed in the group may have failed because
     * of an earlier member that is now undone (a UNIQUE value it inserted), so failures run again
     * too: each member ends with the outcome it would have had without company.
     */
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
