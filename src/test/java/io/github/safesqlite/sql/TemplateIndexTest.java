package io.github.safesqlite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A string built from a remembered template is found with its values; anything that is not that
 * template with values in its marks is not found, and takes the lexer's way.
 */
class TemplateIndexTest {

    private final TemplateIndex index = new TemplateIndex();

    private void remember(String sql) {
        LiteralTemplate t = LiteralTemplate.ofWhole(sql);
        index.remember(t, StatementClassifier.parse(t.sql()));
    }

    @Test
    void aStringOfARememberedTemplateIsFoundWithItsValues() {
        remember("UPDATE account SET balance = balance - 5 WHERE id = 42 AND owner = 'ann'");
        SqlScript found = index.find("UPDATE account SET balance = balance - 5 WHERE id = 7 AND owner = 'o''neil'");
        assertNotNull(found);
        assertEquals(StatementKind.WRITE, found.first().kind());
        assertEquals("UPDATE account SET balance = balance - 5 WHERE id = 7 AND owner = 'o''neil'", found.first().sql());
        LiteralTemplate t = found.template(found.first());
        assertEquals("UPDATE account SET balance = balance - 5 WHERE id = ? AND owner = ?", t.sql());
        assertEquals(List.of(7L, "o'neil"), bound(t));
        assertEquals(0, found.parameterCount());
    }

    @Test
    void aValueOfTheOtherKindIsFoundToo() {
        remember("SELECT name FROM item WHERE id = 42");
        SqlScript found = index.find("SELECT name FROM item WHERE id = '42'");
        assertEquals(List.of("42"), bound(found.template(found.first())));
    }

    @Test
    void stringsThatAreNotTheTemplateWithValuesAreNotFound() {
        remember("UPDATE account SET balance = balance - 5 WHERE id = 42");
        for (String other : List.of(
                "UPDATE account SET balance = balance - 6 WHERE id = 42", // a literal the template keeps
                "UPDATE account SET balance = balance - 5 WHERE id = 42 OR 1 = 1", // more after it
                "UPDATE account SET balance = balance - 5 WHERE id = 4.2", // a real
                "UPDATE account SET balance = balance - 5 WHERE id = 42e1",
                "UPDATE account SET balance = balance - 5 WHERE id = 0x2A",
                "UPDATE account SET balance = balance - 5 WHERE id = 42abc", // SQLite refuses it as written
                "UPDATE account SET balance = balance - 5 WHERE id = 99999999999999999999", // past a long
                "UPDATE account SET balance = balance - 5 WHERE id = x'2A'", // a blob
                "UPDATE account SET balance = balance - 5 WHERE id = 'unterminated",
                "UPDATE account SET balance = balance - 5 WHERE id = '$1'", // a sign the lexer's way rejects
                "UPDATE account SET balance = balance - 5 WHERE id = 'a--b'",
                "UPDATE account SET balance = balance - 5 WHERE id = 'a\u0000b'",
                "UPDATE account SET balance = balance - 5 WHERE id = NULL",
                "UPDATE account SET balance = balance - 5 WHERE id = ")) {
            assertNull(index.find(other), other);
        }
    }

    @Test
    void aTemplateWhoseValueDoesNotStartATokenIsNotKept() {
        // values after white space, an opening parenthesis or a comma start tokens of their own
        remember("SELECT a FROM t WHERE b = 'x' AND c IN ('p','q')");
        assertNotNull(index.find("SELECT a FROM t WHERE b = 'y' AND c IN ('r','s')"));
        // a value right after a word would not: with a number in it, IS5 is one word
        TemplateIndex other = new TemplateIndex();
        LiteralTemplate glued = new LiteralTemplate("SELECT a FROM t WHERE b IS?", new Object[] {"x"});
        other.remember(glued, StatementClassifier.parse("SELECT a FROM t WHERE b IS ?"));
        assertNull(other.find("SELECT a FROM t WHERE b IS5"));
        assertNull(other.find("SELECT a FROM t WHERE b IS'x'"), "not kept at all");
    }

    @Test
    void aTemplateSqliteRefusedIsNotOfferedAgain() {
        StatementClassifier classifier = new StatementClassifier();
        SqlScript first = classifier.classify("SELECT name FROM item WHERE id = 1");
        assertNotNull(first.template(first.first()));
        first.forgetTemplate(); // what PhysicalExecution does when SQLite refuses the template
        SqlScript second = classifier.classify("SELECT name FROM item WHERE id = 2");
        assertNull(second.template(second.first()), "runs as written");
        assertEquals(StatementKind.READ, second.first().kind());
        assertEquals("SELECT name FROM item WHERE id = 2", second.first().sql());
    }

    @Test
    void oneStringOfATemplateCompilingStandsForEveryString() {
        StatementClassifier classifier = new StatementClassifier();
        SqlScript first = classifier.classify("SELECT name FROM item WHERE id = 1");
        assertEquals(false, first.compiled());
        first.markCompiled();
        assertEquals(true, classifier.classify("SELECT name FROM item WHERE id = 2").compiled());
        assertEquals(false, classifier.classify("SELECT name FROM item WHERE id = ?").compiled(),
                "the template itself, with a parameter, was not compiled");
    }

    /**
     * Threads classifying strings of two templates of the same shape (they share one slot, so each
     * keeps replacing the other's entry while the rest walk it) each get their own string's
     * template and values, never the other template's.
     */
    @Test
    void templatesReplacingEachOtherUnderThreadsNeverMixUp() throws Exception {
        StatementClassifier classifier = new StatementClassifier();
        int threads = 4;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<Integer>> found = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int amount = t % 2 == 0 ? 5 : 7;
                found.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int id = 0; id < 20_000; id++) {
                        String sql = "UPDATE t SET a = a - " + amount + " WHERE id = " + id;
                        SqlScript script = classifier.classify(sql);
                        LiteralTemplate template = script.template(script.first());
                        assertEquals("UPDATE t SET a = a - " + amount + " WHERE id = ?", template.sql(), sql);
                        assertEquals(List.of((long) id), bound(template), sql);
                        assertEquals(sql, script.first().sql());
                        checked++;
                    }
                    return checked;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : found) {
                assertEquals(20_000, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(TemplateIndex.shape("UPDATE t SET a = a - 5 WHERE id = ?"),
                TemplateIndex.shape("UPDATE t SET a = a - 7 WHERE id = 12"), "one shape, one slot");
    }

    /** The values a template binds, in order. */
    static List<Object> bound(LiteralTemplate template) {
        List<Object> values = new ArrayList<>();
        PreparedStatement recorder = (PreparedStatement) Proxy.newProxyInstance(
                TemplateIndexTest.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    values.add(args[1]);
                    return null;
                });
        try {
            template.bind(recorder);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return values;
    }
}
