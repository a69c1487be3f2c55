package io.github.safesqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * read-write and read-only transactions begun through JDBC or SQL, commit, rollback, close)
 * run against SafeSqliteDataSource and, as the model, against plain sqlite-jdbc with one
 * connection each, driven serially with explicit BEGIN IMMEDIATE / BEGIN + query_only. Every
 * operation must give the same result (or fail on both sides) and the committed data must match.
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
        return () -> Combinators.combine(conn, commit).as((i, c) -> Transformer.mutate("[" + i + "] "
                + (c ? "commit" : "rollback"), pair -> pair.end(i, c)));
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
        final String[] txMode = new String[CONNECTIONS]; // null, "jdbc", "jdbc-read-only" or "sql"
        final boolean[] modelStarted = new boolean[CONNECTIONS];

        private Pair() throws Exception {
            dir = Files.createTempDirectory("model");
            ds = SafeSqliteDataSource.builder().path(dir.resolve("ours.db").toString()).dataSource();
            for (int i = 0; i < CONNECTIONS; i++) {
                ours[i] = ds.getConnection();
                model[i] = openModel();
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
            return outcome(() -> {
                try (Statement st = model[i].createStatement()) {
                    if (sql.contains(";")) {
                        // sqlite-jdbc's execute runs only the first statement: run them one by one
                        boolean rows = false;
                        for (String part : sql.split(";")) {
                            rows = st.execute(part);
                        }
                        return describe(st, rows);
                    }
                    return describe(st, st.execute(sql));
                }
            });
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

        void end(int i, boolean commit) {
            if (txMode[i] == null) {
                return;
            }
            String expected = modelStarted[i] ? outcome(() -> {
                try (Statement st = model[i].createStatement()) {
                    st.execute(commit ? "COMMIT" : "ROLLBACK");
                    if (txMode[i].equals("jdbc-read-only")) {
                        st.execute("PRAGMA query_only = 0");
                    }
                }
                return "";
            }) : "";
            String actual = outcome(() -> {
                if (txMode[i].equals("sql")) {
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
            txMode[i] = null;
            modelStarted[i] = false;
        }

        void reopen(int i) {
            try {
                ours[i].close();
                model[i].close();
                ours[i] = ds.getConnection();
                model[i] = openModel();
                txMode[i] = null;
                modelStarted[i] = false;
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
