package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real database and real threads: autocommit writes queued behind a transaction
 * share one COMMIT when it ends, each caller getting its own statement's outcome, and a group that
 * cannot commit runs its members alone so that only the culprit fails. See docs/design.md, "Group
 * commit".
 */
class GroupCommitTest {

    @TempDir
    Path dir;

    private final List<Integer> groups = new CopyOnWriteArrayList<>();
    private final SafeSqliteListener groupSizes = new SafeSqliteListener() {
        @Override
        public void writesGrouped(String database, int statements) {
            groups.add(statements);
        }
    };

    private SafeSqliteDataSource dataSource(String name) throws SQLException {
        return SafeSqliteDataSource.builder().path(dir.resolve(name).toString()).listener(groupSizes).dataSource();
    }

    /** Starts one autocommit write per SQL string, each on its own connection and thread, all queued behind {@code blocker}. */
    private static Throwable[] queueBehind(SafeSqliteDataSource ds, Connection blocker, List<String> writes)
            throws Exception {
        Throwable[] outcomes = new Throwable[writes.size()];
        TestThreads threads = new TestThreads();
        for (int i = 0; i < writes.size(); i++) {
            int n = i;
            threads.start("writer-" + n, () -> {
                try (Connection c = ds.getConnection()) {
                    Databases.exec(c, writes.get(n));
                } catch (SQLException e) {
                    outcomes[n] = e;
                }
            });
            Await.until("writer " + n + " queued", () -> queued(ds) == n + 1);
        }
        blocker.commit(); // the gate goes to the first queued write, which runs the others with it
        threads.joinAll(); // anything but a SQLException fails here
        return outcomes;
    }

    /** Every write succeeded except the third, which failed with a SQLException saying {@code why}. */
    private static void onlyTheThirdFailed(Throwable[] outcomes, String why) {
        for (int i = 0; i < outcomes.length; i++) {
            if (i == 2) {
                assertTrue(outcomes[i] instanceof SQLException && outcomes[i].getMessage().contains(why),
                        "the third fails, with " + why + ": " + outcomes[i]);
            } else {
                assertNull(outcomes[i], "write " + i + " succeeds");
            }
        }
    }

    private static int queued(SafeSqliteDataSource ds) {
        try {
            return ds.health().writersQueued();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void queuedAutocommitWritesShareOneCommitAndEachCallerGetsItsOwnOutcome() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("group.db"); Connection blocker = ds.getConnection()) {
            Databases.exec(blocker, "CREATE TABLE t(v TEXT UNIQUE)");
            Databases.exec(blocker, "INSERT INTO t VALUES ('taken')");
            blocker.setAutoCommit(false);
            Databases.exec(blocker, "INSERT INTO t VALUES ('blocker')"); // holds the writer
            Throwable[] outcomes = queueBehind(ds, blocker, List.of("INSERT INTO t VALUES ('a')",
                    "INSERT INTO t VALUES ('b')", "INSERT INTO t VALUES ('taken')", "INSERT INTO t VALUES ('c')"));
            onlyTheThirdFailed(outcomes, "UNIQUE");
            assertEquals(List.of(4), groups, "the four writes shared one COMMIT");
            try (Connection c = ds.getConnection()) {
                assertEquals(List.of("a", "b", "blocker", "c", "taken"),
                        Databases.column(c, "SELECT v FROM t ORDER BY v"), "every acknowledged write, nothing else");
            }
        }
    }

    @Test
    void aGroupThatCannotCommitRunsItsMembersAloneSoOnlyTheCulpritFails() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("deferred.db"); Connection blocker = ds.getConnection()) {
            Databases.exec(blocker, "CREATE TABLE parent(id INTEGER PRIMARY KEY)");
            Databases.exec(blocker, "CREATE TABLE child(p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
            Databases.exec(blocker, "INSERT INTO parent VALUES (1)");
            blocker.setAutoCommit(false);
            Databases.exec(blocker, "INSERT INTO parent VALUES (2)");
            // The third violates a deferred foreign key: it passes as a statement and fails the COMMIT.
            Throwable[] outcomes = queueBehind(ds, blocker, List.of("INSERT INTO child VALUES (1)",
                    "INSERT INTO child VALUES (2)", "INSERT INTO child VALUES (99)", "INSERT INTO child VALUES (1)"));
            onlyTheThirdFailed(outcomes, "FOREIGN KEY");
            assertEquals(List.of(1), groups, "the group could not commit together; its members ran alone");
            try (Connection c = ds.getConnection()) {
                assertEquals(List.of("1", "1", "2"), Databases.column(c, "SELECT p FROM child ORDER BY p"));
            }
        }
    }

    @Test
    void aMemberWhoseFailureEndsTheTransactionCostsTheOthersNothing() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("rollback.db"); Connection blocker = ds.getConnection()) {
            Databases.exec(blocker, "CREATE TABLE t(v TEXT UNIQUE)");
            Databases.exec(blocker, "INSERT INTO t VALUES ('taken')");
            blocker.setAutoCommit(false);
            Databases.exec(blocker, "INSERT INTO t VALUES ('blocker')");
            // OR ROLLBACK ends the whole transaction, taking 'a' and 'b' with it: they must run again alone.
            Throwable[] outcomes = queueBehind(ds, blocker, List.of("INSERT INTO t VALUES ('a')",
                    "INSERT INTO t VALUES ('b')", "INSERT OR ROLLBACK INTO t VALUES ('taken')",
                    "INSERT INTO t VALUES ('c')"));
            onlyTheThirdFailed(outcomes, "UNIQUE");
            assertEquals(List.of(1), groups);
            try (Connection c = ds.getConnection()) {
                assertEquals(List.of("a", "b", "blocker", "c", "taken"), Databases.column(c, "SELECT v FROM t ORDER BY v"));
            }
        }
    }

    @Test
    void aLoneWriterRunsAsBeforeWithoutWaitingForCompany() throws Exception {
        try (SafeSqliteDataSource ds = dataSource("lone.db"); Connection c = ds.getConnection()) {
            Databases.exec(c, "CREATE TABLE t(v)");
            for (int i = 0; i < 20; i++) {
                Databases.exec(c, "INSERT INTO t VALUES (" + i + ")");
            }
            assertEquals(List.of(), groups, "nobody queued, so no group");
            assertEquals(20, Databases.longValue(c, "SELECT count(*) FROM t"));
        }
    }

    /**
     * Writes that queue while a group runs join its transaction before the COMMIT, so a steady stream
     * of writers shares fewer COMMITs; nobody is waited for: the group commits when none is queued.
     * GroupCommit alone, with a transaction that records what it is asked.
     */
    @Test
    void writesQueuedWhileAGroupRunsJoinItsCommit() {
        List<String> log = new CopyOnWriteArrayList<>();
        GroupCommit.Transaction tx = new RecordedTransaction(log);
        java.util.ArrayDeque<WriterGate.Ticket> arriving = new java.util.ArrayDeque<>();
        List<WriterGate.Ticket> members = new java.util.ArrayList<>();
        for (String name : List.of("a", "b")) {
            members.add(ticket(name, log, arriving, name.equals("a") ? "late-1" : null));
        }
        arriving.add(ticket("late-2", log, arriving, null));
        boolean together = GroupCommit.run(tx, members, WriterGate.Task::run, arriving::poll);
        assertTrue(together);
        assertEquals(List.of("BEGIN", "a", "b", "late-2", "late-1", "COMMIT"), log,
                "every write that queued before the COMMIT ran in the group, in arrival order");
        assertEquals(4, members.size(), "the late ones are members: they are told after the COMMIT");
    }

    /** A groupable task that logs its name and, optionally, lets another task arrive while it runs. */
    private static WriterGate.Ticket ticket(String name, List<String> log, java.util.Deque<WriterGate.Ticket> arriving,
            String bringsAlong) {
        WriterGate.Task<Object> task = () -> {
            log.add(name);
            if (bringsAlong != null) {
                arriving.add(ticket(bringsAlong, log, arriving, null));
            }
            return name;
        };
        return new WriterGate.Ticket(Thread.currentThread(), name, task, true, 0);
    }
}
