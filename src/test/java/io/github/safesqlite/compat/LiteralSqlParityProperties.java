package io.github.safesqlite.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.safesqlite.SafeSqliteDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * SQL written with literal values, run through {@code Statement} on plain sqlite-jdbc and on
 * safesqlite (which runs such statements through a template with the values bound, see
 * {@code LiteralTemplate}): every row, column label, value type, update count and error message is
 * the same. The literals are the awkward ones: signs, the edges of a long and past them, reals,
 * numeric-looking text, quotes, LIKE patterns, NULL and blobs, against columns of every affinity,
 * with and without white space around them. A program repeats its statements' shapes with other
 * values, so strings are also found by a template an earlier one left ({@code TemplateIndex}).
 */
class LiteralSqlParityProperties {

    private static final List<String> STATEMENTS = List.of(
            "INSERT INTO t(a, b, c, d) VALUES (%s, %s, %s, %s)",
            "INSERT INTO t(a, b, c, d) VALUES (%s, %s, 1, 2), (%s, %s, 3, 4)",
            "UPDATE t SET a = %s, b = %s WHERE c = %s OR d = %s",
            "UPDATE t SET c = c + 1 WHERE a IN (%s, %s) OR b IS %s OR d > %s",
            "DELETE FROM t WHERE a = %s OR b = %s OR c <= %s OR d <> %s",
            "SELECT id, a, b, c, d, typeof(a), typeof(b), typeof(c), typeof(d) FROM t WHERE a = %s OR b = %s "
                    + "OR c >= %s OR d = %s ORDER BY id",
            "SELECT count(*), 5 AS five FROM t WHERE b LIKE %s OR a BETWEEN %s AND %s OR c = -%s",
            "SELECT b, %s FROM t WHERE a = %s OR c = %s OR d = %s ORDER BY 1 LIMIT 3",
            // glued: SQLite refuses 5AND as written (an unrecognized token) but not 'x'AND
            "SELECT id, a FROM t WHERE a=%sAND b=%s OR(c=%s)OR d IN(%s)ORDER BY id");

    @Provide
    Arbitrary<String> literals() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-20, 20).map(Object::toString),
                Arbitraries.of("9223372036854775807", "9223372036854775808", "-9223372036854775808", "0", "007",
                        "1.5", "1e3", "0x10", "NULL", "x'00'", "'12'", "'0012'", "' 5'", "'1.0'", "''", "'%'", "'a%'",
                        "'it''s'", "'é'", "'a\u0000b'"),
                Arbitraries.strings().withCharRange('a', 'c').withChars('\'', '%', '_').ofMaxLength(4)
                        .map(s -> "'" + s.replace("'", "''") + "'"));
    }

    @Provide
    Arbitrary<List<String>> programs() {
        Arbitrary<String> statement = Combinators.combine(Arbitraries.of(STATEMENTS), literals().list().ofSize(4))
                .as((t, values) -> String.format(t, values.toArray()));
        return statement.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 60)
    void literalSqlBehavesAsOnPlainSqliteJdbc(@ForAll("programs") List<String> program) throws Exception {
        Path dir = Files.createTempDirectory("literal-parity");
        List<String> plain;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"))) {
            plain = run(c, program);
        }
        List<String> safe;
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(dir.resolve("safe.db").toString()).dataSource();
             Connection c = ds.getConnection()) {
            safe = run(c, program);
        }
        assertEquals(plain, safe);
    }

    private static List<String> run(Connection c, List<String> program) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c REAL, d NUMERIC)");
            st.executeUpdate("CREATE UNIQUE INDEX t_b ON t(b) WHERE b LIKE 'a%'");
            for (String sql : program) {
                try {
                    if (st.execute(sql)) {
                        try (ResultSet rs = st.getResultSet()) {
                            ResultSetMetaData md = rs.getMetaData();
                            StringBuilder row = new StringBuilder(sql).append(" ->");
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                row.append(' ').append(md.getColumnLabel(i));
                            }
                            while (rs.next()) {
                                row.append(" |");
                                for (int i = 1; i <= md.getColumnCount(); i++) {
                                    Object v = rs.getObject(i);
                                    row.append(' ').append(v == null ? "null" : v.getClass().getSimpleName() + ":"
                                            + (v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v));
                                }
                            }
                            seen.add(row.toString());
                        }
                    } else {
                        seen.add(sql + " -> " + st.getUpdateCount() + " row(s)");
                    }
                } catch (SQLException e) {
                    seen.add(sql + " -> " + e.getMessage());
                }
            }
        }
        return seen;
    }
}
