package io.github.safesqlite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The splitter against SQLite itself: scripts are joined from statements that SQLite accepts one
 * by one (plain sqlite-jdbc runs each, so each is a complete statement to SQLite), with keywords
 * used as names ({@code end}, {@code begin}, {@code case}), CASE ... END, triggers with several
 * body statements, comments and string literals holding {@code ;} and {@code END}. Splitting the
 * joined script must give back exactly those statements.
 */
class StatementSplitterProperties {

    static final String SCHEMA = "CREATE TABLE span(\"begin\" INTEGER, \"end\" INTEGER, \"case\" TEXT);"
            + "CREATE TABLE log(msg TEXT);CREATE TABLE t(v INTEGER)";

    @Property(tries = 200)
    void aScriptOfStatementsSqliteAcceptsSplitsBackIntoThem(@ForAll("scripts") List<String> parts) throws SQLException {
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = plain.createStatement()) {
            for (String schema : SCHEMA.split(";")) {
                st.execute(schema);
            }
            for (String part : parts) {
                st.execute(part); // the oracle: SQLite takes it as one complete statement
            }
        }
        String script = String.join(";\n", parts);
        List<String> split = StatementClassifier.parse(script).statements().stream().map(SqlStatement::sql)
                .map(String::strip).collect(Collectors.toList());
        assertEquals(parts.stream().map(String::strip).collect(Collectors.toList()), split, script);
    }

    @Provide
    Arbitrary<List<String>> scripts() {
        Arbitrary<String> bodyStatement = Arbitraries.of(
                "UPDATE span SET end = new.v",
                "UPDATE span SET \"begin\" = CASE WHEN new.v > 0 THEN 1 ELSE 0 END",
                "INSERT INTO log VALUES ('x; END; y')",
                "INSERT INTO log SELECT CASE new.v WHEN 1 THEN 'one' ELSE 'end' END",
                "DELETE FROM log WHERE msg = 'END' /* ; END ; */",
                "UPDATE span SET \"case\" = 'BEGIN' -- ; END\n",
                "SELECT end, begin FROM span WHERE end > 0");
        Arbitrary<String> trigger = Combinators.combine(Arbitraries.integers().between(0, 99999),
                bodyStatement.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of("AFTER INSERT ON t", "BEFORE INSERT ON t", "AFTER UPDATE OF v ON t WHEN new.v > 0"))
                .as((n, body, when) -> "CREATE TRIGGER tr" + n + " " + when + " BEGIN "
                        + body.stream().map(b -> b + ";").collect(Collectors.joining(" ")) + " END");
        Arbitrary<String> plainStatement = Arbitraries.of(
                "SELECT end FROM span",
                "SELECT CASE WHEN 1 THEN 'a;b' END AS \"end\"",
                "INSERT INTO span(\"begin\", \"end\") VALUES (1, 2)",
                "UPDATE span SET end = 3 WHERE begin = 1",
                "SELECT 1 /* ; */ + 2",
                "INSERT INTO log VALUES ('it''s; END')",
                "CREATE TABLE IF NOT EXISTS x(end INTEGER, begin INTEGER)");
        return Arbitraries.oneOf(trigger, plainStatement).list().ofMinSize(1).ofMaxSize(5).map(list -> {
            // Each trigger gets a name of its own.
            List<String> named = new java.util.ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                named.add(list.get(i).replaceFirst("^CREATE TRIGGER tr\\d+", "CREATE TRIGGER tr" + i));
            }
            return named;
        });
    }

    @Example
    void aColumnNamedEndInATriggerBodyDoesNotEndTheTrigger() {
        String trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE span SET end = new.v; "
                + "INSERT INTO log VALUES ('x'); END";
        List<SqlStatement> split = StatementClassifier.parse(trigger + "; SELECT 1").statements();
        assertEquals(2, split.size(), split.toString());
        assertEquals(trigger, split.get(0).sql().strip());
    }
}
