package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Batched units against their model, which is the same units run one after another without
 * batching: whatever mix of successes, application exceptions, constraint failures and COMMIT
 * failures a group holds, every caller sees what it would have seen alone, and the database ends
 * in the same state (docs/design.md, "Batched units of work").
 */
class BatchedUnitsProperties {

    /** One step of a unit. */
    enum Step {
        /** Inserts a value that may already be there: a UNIQUE failure, raised to the caller. */
        INSERT_SMALL,
        /** Inserts a fresh row. */
        INSERT_FRESH,
        /** Throws from the callback after what it did so far. */
        THROW,
        /** A deferred foreign key that only the COMMIT refuses. */
        ORPHAN,
        /** Returns a count: the unit's result depends on every unit before it. */
        COUNT
    }

    @Provide
    Arbitrary<List<List<Step>>> units() {
        return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(2).ofMaxSize(6);
    }

    @Property(tries = 25)
    void aGroupOfUnitsEndsAsTheUnitsRunOneByOne(@ForAll("units") List<List<Step>> units) throws Exception {
        Path dir = Files.createTempDirectory("batched-model");
        try {
            List<String> alone;
            List<String> aloneRows;
            try (SafeSqliteDataSource ds = Databases.dataSource(dir, "alone.db")) {
                schema(ds);
                alone = new ArrayList<>();
                for (int i = 0; i < units.size(); i++) {
                    int n = i;
                    alone.add(describe(() -> ds.inTransaction(c -> run(c, n, units.get(n)))));
                }
                aloneRows = rows(ds);
            }
            try (SafeSqliteDataSource ds = Databases.dataSource(dir, "batched.db", "batch_transactions=true")) {
                schema(ds);
                List<UnitOfWork<Object>> work = new ArrayList<>();
                for (int i = 0; i < units.size(); i++) {
                    int n = i;
                    work.add(c -> run(c, n, units.get(n)));
                }
                BatchedUnitsTest.Outcome[] outcomes;
                try (Connection blocker = ds.getConnection()) {
                    blocker.setAutoCommit(false);
                    Databases.exec(blocker, "INSERT INTO t VALUES (-1)");
                    outcomes = BatchedUnitsTest.queueBehind(ds, blocker, work);
                }
                List<String> batched = new ArrayList<>();
                for (BatchedUnitsTest.Outcome o : outcomes) {
                    batched.add(o.failure == null ? "ok " + o.result : describe(o.failure));
                }
                assertEquals(alone, batched, "each caller's outcome, for " + units);
                try (Connection c = ds.getConnection()) {
                    Databases.exec(c, "DELETE FROM t WHERE v = -1");
                }
                assertEquals(aloneRows, rows(ds), "the database, for " + units);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void schema(SafeSqliteDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            Databases.exec(c, "CREATE TABLE t(v INTEGER UNIQUE)");
            Databases.exec(c, "CREATE TABLE parent(id INTEGER PRIMARY KEY)");
            Databases.exec(c, "CREATE TABLE child(p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
            Databases.exec(c, "INSERT INTO parent VALUES (1)");
        }
    }

    private static Object run(Connection c, int unit, List<Step> steps) throws SQLException {
        Object result = "done";
        for (int i = 0; i < steps.size(); i++) {
            switch (steps.get(i)) {
                case INSERT_SMALL -> Databases.exec(c, "INSERT INTO t VALUES (" + (unit % 2) + ")");
                case INSERT_FRESH -> Databases.exec(c, "INSERT INTO t VALUES (" + (100 + unit * 10 + i) + ")");
                case THROW -> throw new IllegalStateException("unit " + unit + " gives up");
                case ORPHAN -> Databases.exec(c, "INSERT INTO child VALUES (99)");
                case COUNT -> result = Databases.longValue(c, "SELECT count(*) FROM t WHERE v >= 0");
            }
        }
        return result;
    }

    /** Work whose outcome is described. */
    private interface Attempt {
        Object run() throws Exception;
    }

    private static String describe(Attempt attempt) {
        try {
            return "ok " + attempt.run();
        } catch (Exception e) {
            return describe(e);
        }
    }

    /** A failure as a caller tells it apart: its type and the reason SQLite or the unit gave. */
    private static String describe(Throwable e) {
        String m = String.valueOf(e.getMessage());
        String reason = m.contains("UNIQUE") ? "UNIQUE" : m.contains("FOREIGN KEY") ? "FOREIGN KEY" : m;
        return e.getClass().getSimpleName() + " " + reason;
    }

    private static List<String> rows(SafeSqliteDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            List<String> all = new ArrayList<>(Databases.column(c, "SELECT 't' || v FROM t ORDER BY v"));
            all.addAll(Databases.column(c, "SELECT 'child' || p FROM child ORDER BY p"));
            return all;
        }
    }
}
