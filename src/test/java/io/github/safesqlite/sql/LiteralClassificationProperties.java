package io.github.safesqlite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A statement written with literal values is classified through its template (the template
 * repeats where the string does not): the verdict must be the one the parser gives the string
 * itself, down to the statement's text, its normalized form, its parameters and its template.
 */
class LiteralClassificationProperties {

    /** Statements with {@code %s} slots for literals, some of which a template takes and some it leaves. */
    private static final List<String> STATEMENTS = List.of(
            "INSERT INTO t(a, b, c, d) VALUES (%s, %s, %s, %s)",
            "INSERT INTO t(a, b) VALUES (%s, %s), (%s, %s) ON CONFLICT DO NOTHING",
            "REPLACE INTO t(a, b, c, d) VALUES (%s, %s, %s, %s) RETURNING id",
            "UPDATE t SET a = %s, b = %s WHERE c = %s OR d = -%s",
            "UPDATE t SET c = c + 1 WHERE a IN (%s, %s) OR b IS %s OR d > %s",
            "DELETE FROM t WHERE a = %s OR b = %s OR c <= %s OR d <> %s",
            "SELECT id, %s FROM t WHERE a = %s OR b LIKE %s ORDER BY %s",
            "SELECT count(*) FROM t WHERE a BETWEEN %s AND %s OR c = %s LIMIT %s",
            "SELECT last_insert_rowid(), changes() FROM t WHERE a = %s AND b = %s AND c = %s AND d = %s",
            "select a from t where json_extract(d, %s) = %s and b > %s and c < %s",
            "SELECT a FROM t WHERE b = %s AND c = %s AND d = %s; SELECT %s",
            "  SELECT a FROM t WHERE b = %s AND c = %s AND d = %s AND e = %s",
            "SELECT a FROM t WHERE b = %s AND c = %s AND d = %s AND e = %s -- why",
            "WITH c(n) AS (SELECT %s) SELECT n FROM c WHERE n = %s AND %s = %s",
            "PRAGMA user_version = %s%s%s%s",
            "UPDATE t SET a=%s WHERE b=%sAND c IN(%s,%s)",
            "SELECT a FROM t WHERE t.b = %s%s OR c = %s.%s");

    @Provide
    Arbitrary<String> literals() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L).map(Object::toString),
                Arbitraries.of("9223372036854775808", "1.5", "1e3", "0x10", "NULL", "x'00'", "'it''s'", "''", "?",
                        ":name", "'a--b'", "'/*'", "'$'", "5a", "1_000", "'a\u0000b'", "'é'", "12345678901234567890"),
                Arbitraries.strings().withCharRange('a', 'z').withChars('\'', ' ', ';').ofMaxLength(8)
                        .map(s -> "'" + s.replace("'", "''") + "'"));
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of(STATEMENTS);
    }

    @Provide
    Arbitrary<List<String>> fourLiterals() {
        return literals().list().ofSize(4);
    }

    @Provide
    Arbitrary<String> statements() {
        return Combinators.combine(Arbitraries.of(STATEMENTS), literals().list().ofSize(4))
                .as((t, values) -> String.format(t, values.toArray()));
    }

    @Property(tries = 500)
    void aStatementWithLiteralsIsClassifiedAsTheParserClassifiesIt(@ForAll("statements") String sql) {
        StatementClassifier fresh = new StatementClassifier();
        StatementClassifier warm = new StatementClassifier();
        warm.classify(sql.replace('1', '2')); // a sibling: often the same template, which is then cached
        SqlScript parsed = StatementClassifier.parse(sql);
        for (StatementClassifier classifier : List.of(fresh, warm)) {
            SqlScript fast = classifier.classify(sql);
            assertEquals(parsed.statements(), fast.statements(), sql);
            assertEquals(parsed.normalized(), fast.normalized(), sql);
            assertEquals(parsed.parameterCount(), fast.parameterCount(), sql);
            if (parsed.isSingle()) {
                LiteralTemplate expected = parsed.template(parsed.first());
                LiteralTemplate actual = fast.template(fast.first());
                assertEquals(expected == null, actual == null, sql);
                if (expected != null) {
                    assertEquals(expected.sql(), actual.sql(), sql);
                    assertEquals(bound(expected), bound(actual), sql);
                }
            }
        }
    }

    /**
     * A string found by the template a sibling left ({@link TemplateIndex}) gets what the lexer
     * would give it: the same template and values, or none found and the lexer's way taken. The
     * sibling is another string of the same statement, so that the shapes often match.
     */
    @Property(tries = 1000)
    void aTemplateFoundByShapeIsTheOneTheLexerGives(@ForAll("patterns") String pattern,
            @ForAll("fourLiterals") List<String> siblingValues, @ForAll("fourLiterals") List<String> values) {
        String sibling = String.format(pattern, siblingValues.toArray());
        String sql = String.format(pattern, values.toArray());
        LiteralTemplate left = LiteralTemplate.ofWhole(sibling);
        TemplateIndex index = new TemplateIndex();
        if (left != null && StatementClassifier.parse(sibling).isSingle()) {
            index.remember(left, StatementClassifier.parse(left.sql()));
        }
        SqlScript found = index.find(sql);
        LiteralTemplate expected = LiteralTemplate.ofWhole(sql);
        Statistics.label("found").collect(found != null);
        if (found != null) {
            LiteralTemplate actual = found.template(found.first());
            assertNotNull(expected, sql);
            assertEquals(expected.sql(), actual.sql(), sql);
            assertEquals(bound(expected), bound(actual), sql);
            assertEquals(StatementClassifier.parse(sql).statements(), found.statements(), sql);
        }
        Statistics.label("found").coverage(c -> c.check(true).percentage(p -> p > 2));
    }

    @Example
    void theTemplateIsClassifiedOnceForAllItsValues() {
        StatementClassifier classifier = new StatementClassifier();
        SqlScript first = classifier.classify("UPDATE account SET balance = 5 WHERE id = 42");
        SqlScript second = classifier.classify("UPDATE account SET balance = 7 WHERE id = 43");
        assertEquals("UPDATE account SET balance = 7 WHERE id = 43", second.first().sql());
        assertEquals(StatementKind.WRITE, second.first().kind());
        assertEquals(List.of(7L, 43L), bound(second.template(second.first())));
        assertNotNull(first.template(first.first()));
        // with white space around it the string takes the parser's way, and gets the same verdict
        SqlScript padded = classifier.classify(" UPDATE account SET balance = balance - 5 WHERE id = 42 ");
        assertEquals("UPDATE account SET balance = balance - 5 WHERE id = 42", padded.first().sql());
        assertNull(LiteralTemplate.ofWhole(" SELECT 1 FROM t WHERE a = 1"));
    }

    private static List<Object> bound(LiteralTemplate template) {
        return TemplateIndexTest.bound(template);
    }
}
