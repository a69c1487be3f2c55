package io.github.safesqlite.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.safesqlite.SafeSqliteDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Bound parameters replay exactly. Two logical PreparedStatements with the same SQL share one
 * cached physical statement, which keeps the values of its previous use; random sequences of
 * binds, clears and executions on both must return what plain sqlite-jdbc returns with a
 * statement of its own each, including NULL for every parameter nobody bound.
 */
class ParameterBindingProperties {

    /** Ten parameters: more than the slots a statement starts with, so the slots grow on the way. */
    private static final int PARAMETERS = 10;
    private static final String SQL = "SELECT " + java.util.stream.IntStream.rangeClosed(1, PARAMETERS)
            .mapToObj(i -> "?" + i + ", typeof(?" + i + ")").collect(java.util.stream.Collectors.joining(", "));

    private static Path dir;
    private static SafeSqliteDataSource ds;

    @BeforeContainer
    static void open() throws IOException, SQLException {
        dir = Files.createTempDirectory("safesqlite-binds");
        ds = SafeSqliteDataSource.builder().path(dir.resolve("binds.db").toString()).dataSource();
    }

    @AfterContainer
    static void close() {
        ds.close();
    }

    /** One step: which of the two statements, and what to do with it. */
    record Step(int statement, String op, int index, Object value) {

        void apply(PreparedStatement ps) throws SQLException {
            switch (op) {
                case "int" -> ps.setInt(index, (Integer) value);
                case "long" -> ps.setLong(index, (Long) value);
                case "double" -> ps.setDouble(index, (Double) value);
                case "boolean" -> ps.setBoolean(index, (Boolean) value);
                case "string" -> ps.setString(index, (String) value);
                case "bytes" -> ps.setBytes(index, (byte[]) value);
                case "null" -> ps.setNull(index, Types.INTEGER);
                case "object" -> ps.setObject(index, value);
                case "clear" -> ps.clearParameters();
                default -> throw new IllegalStateException(op);
            }
        }
    }

    @Property(tries = 200)
    void boundValuesReplayLikePlainSqliteJdbc(@ForAll("steps") List<Step> steps) throws SQLException {
        try (Connection safe = ds.getConnection();
                Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("binds.db"))) {
            PreparedStatement[] s = {safe.prepareStatement(SQL), safe.prepareStatement(SQL)};
            PreparedStatement[] p = {plain.prepareStatement(SQL), plain.prepareStatement(SQL)};
            for (Step step : steps) {
                if (step.op().equals("execute")) {
                    assertEquals(row(p[step.statement()]), row(s[step.statement()]), "after " + steps);
                } else {
                    step.apply(s[step.statement()]);
                    step.apply(p[step.statement()]);
                }
            }
            // And a final execution of each, so that every sequence is checked at least once.
            for (int i = 0; i < 2; i++) {
                assertEquals(row(p[i]), row(s[i]), "at the end of " + steps);
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> statement = Arbitraries.integers().between(0, 1);
        Arbitrary<Integer> index = Arbitraries.integers().between(1, PARAMETERS);
        Arbitrary<Object[]> opAndValue = Arbitraries.oneOf(
                Arbitraries.integers().map(v -> new Object[] {"int", v}),
                Arbitraries.longs().map(v -> new Object[] {"long", v}),
                Arbitraries.doubles().map(v -> new Object[] {"double", v}),
                Arbitraries.of(true, false).map(v -> new Object[] {"boolean", v}),
                Arbitraries.strings().ofMaxLength(8).injectNull(0.1).map(v -> new Object[] {"string", v}),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(4).map(v -> new Object[] {"bytes", v}),
                Arbitraries.of("null", "clear", "execute", "execute").map(op -> new Object[] {op, null}),
                Arbitraries.of((Object) 7, "seven", 7.5d).map(v -> new Object[] {"object", v}));
        return Combinators.combine(statement, index, opAndValue)
                .as((st, i, ov) -> new Step(st, (String) ov[0], i, ov[1]))
                .list().ofMaxSize(25);
    }

    /** The row as comparable values (byte arrays as lists). */
    private static List<Object> row(PreparedStatement ps) throws SQLException {
        List<Object> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            for (int c = 1; c <= 2 * PARAMETERS; c++) {
                Object v = rs.getObject(c);
                out.add(v instanceof byte[] b ? Arrays.toString(b) : v);
            }
        }
        return out;
    }

    @Property(tries = 20)
    void aStatementHasOneResultSetObjectAsInSqliteJdbc(@ForAll("ids") List<Integer> ids) throws SQLException {
        try (Connection safe = ds.getConnection();
                PreparedStatement ps = safe.prepareStatement("SELECT ?1 * 2")) {
            ResultSet first = null;
            for (int id : ids) {
                ps.setInt(1, id);
                ResultSet rs = ps.executeQuery();
                if (first == null) {
                    first = rs;
                }
                assertSame(first, rs, "each execution reopens the statement's ResultSet, as sqlite-jdbc's does");
                rs.next();
                assertEquals(id * 2L, rs.getLong(1), "and it shows the new execution's rows");
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> ids() {
        return Arbitraries.integers().between(-1000, 1000).list().ofMinSize(1).ofMaxSize(10);
    }
}
