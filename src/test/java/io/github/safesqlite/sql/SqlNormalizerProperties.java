package io.github.safesqlite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The normalizer: no literal survives, it is idempotent, and only the literals tell statements apart. */
class SqlNormalizerProperties {

    /** SQL templates with {@code %s} slots for literals. */
    private static final List<String> TEMPLATES = List.of(
            "SELECT * FROM t WHERE a = %s AND b = %s",
            "select a,b from t where c in (%s, %s, %s) -- comment %s",
            "INSERT INTO t(a, b) VALUES (%s, %s)",
            "UPDATE t SET b = %s WHERE a = %s /* note */",
            "DELETE FROM t WHERE a BETWEEN %s AND %s",
            "SELECT count(*) FROM t WHERE name LIKE %s LIMIT %s OFFSET %s",
            "WITH c(n) AS (SELECT %s) SELECT n + %s FROM c",
            "SELECT CASE WHEN a > %s THEN %s ELSE %s END FROM t");

    @Provide
    Arbitrary<String> literals() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L).map(n -> n < 0 ? "- " + -n : Long.toString(n)),
                Arbitraries.doubles().between(-1e6, 1e6).ofScale(3).map(d -> d < 0 ? "-" + (-d) : Double.toString(d)),
                Arbitraries.strings().withCharRange('a', 'z').withChars('\'', ' ', ';', '-', '*', '/').ofMaxLength(12)
                        .map(s -> "'zq" + s.replace("'", "''") + "'"), // "zq" marks text that must not survive
                Arbitraries.strings().withCharRange('0', '9').withCharRange('A', 'F').ofLength(4).map(h -> "x'" + h + "'"),
                Arbitraries.of("?", "?7", ":name", "@p", "$v"));
    }

    @Provide
    Arbitrary<String[]> statementPair() {
        Arbitrary<String> template = Arbitraries.of(TEMPLATES);
        Arbitrary<List<String>> values = literals().list().ofSize(4);
        return Combinators.combine(template, values, values).as((t, a, b) -> new String[] {
                String.format(t, a.toArray()), String.format(t, b.toArray()), String.join("\u0000", a)});
    }

    @Property
    void noLiteralSurvives(@ForAll("statementPair") String[] pair) {
        String normalized = SqlNormalizer.normalize(pair[0]);
        for (String literal : pair[2].split("\u0000")) {
            String digits = literal.replaceAll("[^0-9]", "");
            if (digits.length() >= 1 && !literal.startsWith("?")) {
                assertFalse(normalized.matches("(?s).*\\b" + digits + "\\b.*"), () -> normalized + " keeps " + literal);
            }
        }
        assertFalse(normalized.contains("zq"), () -> normalized + " keeps a string literal");
        assertFalse(normalized.contains("'"), normalized);
        assertFalse(normalized.contains("comment") || normalized.contains("note"), normalized);
    }

    @Property
    void normalizingTwiceChangesNothing(@ForAll("statementPair") String[] pair) {
        String once = SqlNormalizer.normalize(pair[0]);
        assertEquals(once, SqlNormalizer.normalize(once));
    }

    @Property
    void statementsThatDifferOnlyInLiteralsShareANormalForm(@ForAll("statementPair") String[] pair) {
        assertEquals(SqlNormalizer.normalize(pair[0]), SqlNormalizer.normalize(pair[1]));
    }

    @Example
    void readableResult() {
        assertEquals("SELECT a, b FROM t WHERE c IN (?) AND d = ? AND e > f - ?",
                SqlNormalizer.normalize("SELECT  a,b\n FROM t /* x */ WHERE c IN (1, 2,3) AND d = -4.5 AND e > f - 3 -- y"));
        assertEquals("INSERT INTO t(a) VALUES (?)", SqlNormalizer.normalize("insert into t(a) values ('it''s')".replace(
                "insert into", "INSERT INTO").replace("values", "VALUES")));
        assertEquals("SELECT * FROM t WHERE x IN (a, ?)", SqlNormalizer.normalize("SELECT * FROM t WHERE x IN (a, 5)"));
    }

    @Example
    void aGiantStatementGetsABoundedNameThatStillTellsShapesApart() {
        String columns = java.util.stream.IntStream.range(0, 5000).mapToObj(i -> "c" + i)
                .collect(java.util.stream.Collectors.joining(", "));
        String a = SqlNormalizer.normalize("SELECT " + columns + " FROM t WHERE id = 1");
        String b = SqlNormalizer.normalize("SELECT " + columns + " FROM u WHERE id = 2");
        assertTrue(a.length() <= SqlNormalizer.MAX_CHARS + 16, "bounded: " + a.length());
        assertEquals(a, SqlNormalizer.normalize("SELECT " + columns + " FROM t WHERE id = 99"), "same shape, same name");
        assertFalse(a.equals(b), "another table, another name, though their starts are the same");
    }
}
