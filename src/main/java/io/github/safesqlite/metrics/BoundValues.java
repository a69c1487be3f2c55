package io.github.safesqlite.metrics;

/** Bound parameter values that can describe themselves for the slow-query log, only when it asks. */
public interface BoundValues {
    /** The values as text. */
    String describe();
}
