package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of operations on three logical connections (autocommit reads and writes,
 * read-write and read-only transactions begun through JDBC or SQL and ended through either,
 * savepoints set, released and rolled back to through JDBC or SQL, close) run against
 * SafeSqliteDataSource and, as the model, against plain sqlite-jdbc with one connection each,
 * driven serially with explicit BEGIN IMMEDIATE / BEGIN + query_only. Every operation must give
 * the same result (or fail on both sides) and the committed data must match. This is the test of
 * the transaction state machine ({@code jdbc/TransactionState}) as a whole.
 *
 * <p>Mixes sqlite-jdbc does not define are left out: ending a transaction opened by SQL
 * {@code BEGIN} or {@code SAVEPOINT} with JDBC {@code commit()} (sqlite-jdbc, in autocommit mode,
 * refuses it), and releasing through JDBC a savepoint set through SQL (there is no object).
 */
class StatefulModelProperties {

    static final int CONNECTIONS = 3;

    @Property(tries = 60)
    void safesqliteBehavesLikeSerialSqlite(@ForAll("chains") ActionChain<Pair> chain) {
        chain.withInvariant("committed data match", Pair::committedDataMatch).run();
        chain.finalState().ifPresent(Pair::close);
    }

    @Provide
    Arbitrary<ActionChain<Pair>> chains() {
        Arbitrary<Integer> conn = Arbitraries.integers().between(0, CONNECTIONS - 1);
        Arbitrary<Integer> value = Arbitraries.integers().between(1, 12);
        return ActionChain.startWith(Pair::open)
                .withAction(statement(conn, value))
                .withAction(begin(conn))
                .withAction(end(conn))
                .withAction(savepoint(conn))
                .withAction(releaseOrRollbackTo(conn))
                .withAction(reopen(conn))
                .withMaxTransformations(40);
    }

    /** One SQL operation on one connection, compared side by side. */
    private static Action.Independent<Pair> statement(Arbitrary<Integer> conn, Arbitrary<Integer> value) {
        Arbitrary<String> sql = Combinators.combine(value, value).as((a, b) -> Arbitraries.of(
                "SELECT id, v FROM kv ORDER BY id",
                "SELECT count(*), total(v) FROM kv",
                "INSERT INTO kv(v) VALUES (" + a + ")",
                "UPDATE kv SET v = " + a + " WHERE id = " + b,
                "DELETE FROM kv WHERE v = " + a,
                "INSERT INTO kv(v) VALUES (" + a + "); UPDATE kv SET v = v + 100 WHERE id = " + b,
                "WITH c(x) AS (SELECT " + a + ") INSERT INTO kv(v) SELECT x + 50 FROM c")).flatMap(a -> a);
        return () -> Combinators.combine(conn, sql).as((i, s) -> Transformer.mutate("[" + i + "] " + s,
                pair -> pair.run(i, s)));
    }

    private static Action.Independent<Pair> begin(Arbitrary<Integer> conn) {
        Arbitrary<String> how = Arbitraries.of("jdbc", "jdbc-read-only", "sql");
        return () -> Combinators.combine(conn, how).as((i, h) -> Transformer.mutate("[" + i + "] begin " + h,
                pair -> pair.begin(i, h)));
    }

    private static Action.Independent<Pair> end(Arbitrary<Integer> conn) {
        Arbitrary<Boolean> commit = Arbitraries.of(true, false);
        Arbitrary<Boolean> viaSql = Arbitraries.of(true, false);
        return () -> Combinators.combine(conn, commit, viaSql).as((i, c, sql) -> Transformer.mutate("[" + i + "] "
                + (c ? "commit" : "rollback") + (sql ? " as SQL" : " through JDBC"), pair -> pair.end(i, c, sql)));
    }

    private static final Arbitrary<String> SAVEPOINT_NAMES = Arbitraries.of("a", "b", "c");

    private static Action.Independent<Pair> savepoint(Arbitrary<Integer> conn) {
        Arbitrary<Boolean> viaSql = Arbitraries.of(true, false);
        return () -> Combinators.combine(conn, SAVEPOINT_NAMES, viaSql).as((i, name, sql) -> Transformer.mutate(
                "[" + i + "] savepoint " + name + (sql ? " as SQL" : " through JDBC"), pair -> pair.savepoint(i, name, sql)));
    }

    private static Action.Independent<Pair> releaseOrRollbackTo(Arbitrary<Integer> conn) {
        Arbitrary<Boolean> release = Arbitraries.of(true, false);
        Arbitrary<Boolean> viaSql = Arbitraries.of(true, false);
        return () -> Combinators.combine(conn, SAVEPOINT_NAMES, release, viaSql).as((i, name, r, sql) ->
                Transformer.mutate("[" + i + "] " + (r ? "release " : "rollback to ") + name
                        + (sql ? " as SQL" : " through JDBC"), pair -> pair.releaseOrRollbackTo(i, name, r, sql)));
    }

    private static Action.Independent<Pair> reopen(Arbitrary<Integer> conn) {
        return () -> conn.map(i -> Transformer.mutate("[" + i + "] close and reopen", pair -> pair.reopen(i)));
    }

    /** The system under test and the model, with the transaction state the model has to keep by hand. */
    static final class Pair {
        final Path dir;
        final SafeSqliteDataSource ds;
        final Connection[] ours = new Connection[CONNECTIONS];
        final Connection[] model = new Connection[CONNECTIONS];
        final String[] txMode = new String[CONNECTIONS]; // null, "jdbc", "jdbc-read-only", "sql" or "savepoint"
        final boolean[] modelStarted = new boolean[CONNECTIONS];
        /** The model's savepoints per connection, newest last, with the JDBC object where JDBC set it. */
        final List<List<String>> savepoints = new ArrayList<>();
        final List<Map<String, Savepoint>> jdbcSavepoints = new ArrayList<>();

        private Pair() throws Exception {
            dir = Files.createTempDirectory("model");
            ds = SafeSqliteDataSource.builder().path(dir.resolve("ours.db").toString()).dataSource();
            for (int i = 0; i < CONNECTIONS; i++) {
                ours[i] = ds.getConnection();
                model[i] = openModel();
                savepoints.add(new ArrayList<>());
                jdbcSavepoints.add(new HashMap<>());
            }
            String schema = "CREATE TABLE kv(id INTEGER PRIMARY KEY, v INTEGER UNIQUE)";
            try (Statement a = ours[0].createStatement(); Statement b = model[0].createStatement()) {
                a.execute(schema);
                b.execute(schema);
            }
        }

        static Pair open() {
            try {
                return new Pair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private Connection openModel() throws SQLException {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("model.db"));
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA busy_timeout = 0"); // a conflict fails at once, as the gate's would-deadlock does
            }
            return c;
        }

        void run(int i, String sql) {
            String expected = modelRun(i, sql);
            String actual = outcome(() -> {
                try (Statement st = ours[i].createStatement()) {
                    return describe(st, st.execute(sql));
                }
            });
            assertEquals(expected, actual, "[" + i + "] " + sql);
        }

        private String modelRun(int i, String sql) {
            String begun = startModel(i);
            if (!begun.isEmpty()) {
                return begun;
            }
            return outcome(() -> {
                try (Statement st = model[i].createStatement()) {
                    if (sql.contains(";")) {
                        // sqlite-jdbc's execute runs only the first statement: run them one by one, and
                        // outside a transaction as one transaction (safesqlite runs such a string all or nothing)
                        boolean own = txMode[i] == null;
                        if (own) {
                            st.execute("BEGIN IMMEDIATE");
                        }
                        try {
                            boolean rows = false;
                            for (String part : sql.split(";")) {
                                rows = st.execute(part);
                            }
                            String described = describe(st, rows);
                            if (own) {
                                st.execute("COMMIT");
                            }
                            return described;
                        } catch (SQLException e) {
                            if (own) {
                                st.execute("ROLLBACK");
                            }
                            throw e;
                        }
                    }
                    return describe(st, st.execute(sql));
                }
            });
        }

        /** Starts the model's transaction where safesqlite starts its own: at the first statement. */
        private String startModel(int i) {
            if (txMode[i] != null && !modelStarted[i]) {
                String begun = outcome(() -> {
                    try (Statement st = model[i].createStatement()) {
                        if (txMode[i].equals("jdbc-read-only")) {
                            st.execute("PRAGMA query_only = 1");
                            st.execute("BEGIN");
                        } else {
                            st.execute("BEGIN IMMEDIATE");
                        }
                    }
                    return "";
                });
                if (!begun.isEmpty()) {
                    return begun;
                }
                modelStarted[i] = true;
            }
            return "";
        }

        void begin(int i, String how) {
            if (txMode[i] != null) {
                return; // already in a transaction: nothing to compare
            }
            txMode[i] = how;
            modelStarted[i] = false;
            String actual = outcome(() -> {
                switch (how) {
                    case "sql" -> {
                        try (Statement st = ours[i].createStatement()) {
                            st.execute("BEGIN");
                        }
                    }
                    case "jdbc-read-only" -> {
                        ours[i].setReadOnly(true);
                        ours[i].setAutoCommit(false);
                    }
                    default -> ours[i].setAutoCommit(false);
                }
                return "";
            });
            assertEquals("", actual, "begin");
        }

        void end(int i, boolean commit, boolean viaSql) {
            if (txMode[i] == null || (!viaSql && (txMode[i].equals("sql") || txMode[i].equals("savepoint")))) {
                return; // nothing open, or a mix sqlite-jdbc does not define
            }
            String expected = modelStarted[i] ? modelEnd(i, commit) : "";
            String actual = outcome(() -> {
                if (viaSql) {
                    try (Statement st = ours[i].createStatement()) {
                        st.execute(commit ? "COMMIT" : "ROLLBACK");
                    }
                } else {
                    if (commit) {
                        ours[i].commit();
                    } else {
                        ours[i].rollback();
                    }
                    ours[i].setAutoCommit(true);
                    ours[i].setReadOnly(false);
                }
                return "";
            });
            assertEquals(expected, actual, (commit ? "commit" : "rollback") + " of " + txMode[i]);
            modelStarted[i] = false;
            savepoints.get(i).clear();
            jdbcSavepoints.get(i).clear();
            // COMMIT sent as SQL with autocommit off ends this transaction; the next begins at the next statement.
            boolean autoCommitOff = txMode[i].startsWith("jdbc");
            txMode[i] = autoCommitOff && viaSql ? txMode[i] : null;
        }

        private String modelEnd(int i, boolean commit) {
            return outcome(() -> {
                try (Statement st = model[i].createStatement()) {
                    st.execute(commit ? "COMMIT" : "ROLLBACK");
                    if (txMode[i].equals("jdbc-read-only")) {
                        st.execute("PRAGMA query_only = 0");
                    }
                }
                return "";
            });
        }

        void savepoint(int i, String name, boolean viaSql) {
            if (!viaSql && txMode[i] == null) {
                // JDBC, as sqlite-jdbc: a savepoint in autocommit mode turns autocommit off (a transaction begins)
                txMode[i] = "jdbc";
                modelStarted[i] = false;
            }
            boolean opens = txMode[i] == null; // SQLite: SAVEPOINT outside a transaction opens one
            if (opens) {
                txMode[i] = "savepoint";
                modelStarted[i] = false;
            }
            String expected = startModel(i);
            if (expected.isEmpty()) {
                expected = outcome(() -> {
                    try (Statement st = model[i].createStatement()) {
                        st.execute("SAVEPOINT " + name);
                    }
                    return "";
                });
            }
            String actual = outcome(() -> {
                if (viaSql) {
                    try (Statement st = ours[i].createStatement()) {
                        st.execute("SAVEPOINT " + name);
                    }
                } else {
                    jdbcSavepoints.get(i).put(name, ours[i].setSavepoint(name));
                }
                return "";
            });
            assertEquals(expected, actual, "savepoint " + name + " in " + txMode[i]);
            if (expected.isEmpty()) {
                savepoints.get(i).add(name);
            } else if (opens) {
                txMode[i] = null; // it could not start: nothing is open on either side
                modelStarted[i] = false;
            }
        }

        void releaseOrRollbackTo(int i, String name, boolean release, boolean viaSql) {
            Savepoint object = jdbcSavepoints.get(i).get(name);
            if (!viaSql && object == null) {
                return; // set through SQL (or not at all): JDBC has no object to name it with
            }
            List<String> stack = savepoints.get(i);
            String sql = (release ? "RELEASE " : "ROLLBACK TO ") + name;
            String expected = stack.contains(name) ? outcome(() -> {
                try (Statement st = model[i].createStatement()) {
                    st.execute(sql);
                }
                return "";
            }) : "error";
            String actual = outcome(() -> {
                if (viaSql) {
                    try (Statement st = ours[i].createStatement()) {
                        st.execute(sql);
                    }
                } else if (release) {
                    ours[i].releaseSavepoint(object);
                } else {
                    ours[i].rollback(object);
                }
                return "";
            });
            assertEquals(expected, actual, sql + " in " + txMode[i] + " with savepoints " + stack);
            if (!expected.isEmpty()) {
                return;
            }
            // SQLite pops every savepoint newer than the named one; RELEASE pops the named one too.
            int at = stack.lastIndexOf(name);
            stack.subList(release ? at : at + 1, stack.size()).clear();
            jdbcSavepoints.get(i).keySet().retainAll(stack);
            if (release && stack.isEmpty() && txMode[i].equals("savepoint")) {
                // Releasing the outermost savepoint of a transaction it opened commits it. The model began
                // that transaction with BEGIN IMMEDIATE, as safesqlite does, so it commits explicitly.
                assertEquals("", modelEnd(i, true), "the model's commit at the outermost RELEASE");
                txMode[i] = null;
                modelStarted[i] = false;
            }
        }

        void reopen(int i) {
            try {
                ours[i].close();
                model[i].close();
                ours[i] = ds.getConnection();
                model[i] = openModel();
                txMode[i] = null;
                modelStarted[i] = false;
                savepoints.get(i).clear();
                jdbcSavepoints.get(i).clear();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }

        boolean committedDataMatch() {
            try (Connection a = ds.getConnection(); Connection b = openModel()) {
                return table(a).equals(table(b));
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }

        void close() {
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    ours[i].close();
                    model[i].close();
                }
                ds.close();
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            } catch (SQLException | IOException e) {
                throw new AssertionError(e);
            }
        }

        private static String table(Connection c) throws SQLException {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, v FROM kv ORDER BY id")) {
                return rows(rs);
            }
        }

        interface Call {
            String call() throws SQLException;
        }

        /** A result as text, or "error" when the call failed: the two sides' messages differ on purpose. */
        static String outcome(Call call) {
            try {
                return call.call();
            } catch (SQLException e) {
                return "error";
            }
        }

        static String describe(Statement st, boolean hasRows) throws SQLException {
            if (hasRows) {
                try (ResultSet rs = st.getResultSet()) {
                    return rows(rs);
                }
            }
            return "count " + st.getUpdateCount();
        }

        static String rows(ResultSet rs) throws SQLException {
            List<String> out = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= columns; c++) {
                    row.append(rs.getString(c)).append('|');
                }
                out.add(row.toString());
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return "Pair[" + dir + "]";
        }
    }
}
