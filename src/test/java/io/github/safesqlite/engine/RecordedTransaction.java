package io.github.safesqlite.engine;

import java.util.List;

/**
 * A group's transaction control that touches no database: it only records what it is asked
 * (BEGIN, COMMIT, ROLLBACK) in {@code log}, or nothing when the log is null, and stays open after
 * any member's failure. For tests of the gate's and the group's own logic.
 */
final class RecordedTransaction implements GroupCommit.Transaction {

    private final List<String> log;
    private final Runnable duringCommit;

    RecordedTransaction(List<String> log) {
        this(log, () -> { });
    }

    /** As {@link #RecordedTransaction(List)}; each COMMIT also runs {@code duringCommit} (a test clock's advance). */
    RecordedTransaction(List<String> log, Runnable duringCommit) {
        this.log = log;
        this.duringCommit = duringCommit;
    }

    private void record(String what) {
        if (log != null) {
            log.add(what);
        }
    }

    @Override
    public void begin() {
        record("BEGIN");
    }

    @Override
    public boolean stillOpen() {
        return true;
    }

    @Override
    public void commit() {
        duringCommit.run();
        record("COMMIT");
    }

    @Override
    public void rollback() {
        record("ROLLBACK");
    }
}
