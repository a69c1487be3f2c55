package io.github.safesqlite.engine;

/**
 * Taken just before a transaction's first read on a reader, so that at its first write the
 * engine can tell whether anything was committed since (see {@link Engine#unchangedSince}).
 * Internal to safesqlite.
 *
 * @param holdingsEnded holdings of the writer gate ended by then: every in-process commit ends one
 * @param dataVersion   the writer's {@code PRAGMA data_version} as last seen, or -1 when unknown:
 *                      it changes when another process commits
 */
public record SnapshotMark(long holdingsEnded, long dataVersion) {
}
