package io.github.safesqlite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The verdict cache: strings with literal values, mostly built from values and never seen again,
 * are not cached (their templates are, and {@link TemplateIndex} finds a string's template), so
 * that they neither cost a cache entry each nor push the application's repeated strings out.
 */
class StatementClassifierCacheTest {

    private final StatementClassifier classifier = new StatementClassifier();

    @Test
    void aLiteralStringIsNotCachedButItsTemplateIs() {
        String sql = "SELECT balance FROM account WHERE id = 42";
        SqlScript first = classifier.classify(sql);
        SqlScript second = classifier.classify(sql);
        assertEquals(first.statements(), second.statements());
        assertEquals(StatementKind.READ, second.first().kind());
        assertEquals(sql, second.first().sql());
        assertEquals(1, classifier.cachedStrings(), "only the template");
        assertSame(classifier.classify("SELECT balance FROM account WHERE id = ?").normalized(), second.normalized());
    }

    @Test
    void aStringWithoutLiteralValuesIsCachedAtOnce() {
        String sql = "UPDATE account SET balance = balance + ? WHERE id = ?";
        assertSame(classifier.classify(sql), classifier.classify(sql));
    }

    @Test
    void stringsBuiltFromValuesDoNotPushRepeatedOnesOut() {
        String repeated = "SELECT name FROM item WHERE id = ?";
        SqlScript before = classifier.classify(repeated);
        for (int i = 0; i < 10_000; i++) {
            classifier.classify("UPDATE account SET balance = balance - 5 WHERE id = " + i);
        }
        assertSame(before, classifier.classify(repeated), "the cache did not start over");
        assertTrue(classifier.cachedStrings() < 100, "one-off strings are not kept: " + classifier.cachedStrings());
    }

    @Test
    void theCacheStaysWithinItsBound() {
        for (int i = 0; i < 10_000; i++) {
            String sql = "SELECT balance FROM account" + i + " WHERE id = ?";
            classifier.classify(sql);
            assertTrue(classifier.cachedStrings() <= 2048, "bounded: " + classifier.cachedStrings());
        }
        assertTrue(classifier.cachedStrings() > 0);
    }
}
