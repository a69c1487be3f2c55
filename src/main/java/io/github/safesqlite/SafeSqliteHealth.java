package io.github.safesqlite;

/**
 * A snapshot of one database's state, from {@link SafeSqliteDataSource#health()} (and, with
 * {@code jmx=true}, the MXBean {@code io.github.safesqlite:type=Database,name=<database>}).
 *
 * @param database            the database file
 * @param journalMode         what SQLite reports for {@code PRAGMA journal_mode} ({@code wal}, or {@code memory})
 * @param walBytes            size of the WAL file now
 * @param lastCheckpoint      the last background checkpoint, e.g. {@code PASSIVE 120/120 frames at 1700000000000},
 *                            or {@code none}
 * @param checkpointStarved   true while checkpoints cannot complete because a reader keeps an old snapshot
 * @param oldestReaderMillis  how long the reader lent out longest ago has been out
 * @param writerHolder        the thread holding the writer now, or null
 * @param writerHeldMillis    how long it has held it
 * @param writersQueued       writers waiting for the writer now
 * @param readersInUse        readers lent out now
 * @param readersIdle         readers open and idle now
 * @param retriesPerSecond    busy or locked failures retried per second, one-minute average
 * @param closed              true once the data source was closed
 */
public record SafeSqliteHealth(String database, String journalMode, long walBytes, String lastCheckpoint,
                               boolean checkpointStarved, long oldestReaderMillis, String writerHolder,
                               long writerHeldMillis, int writersQueued, int readersInUse, int readersIdle,
                               double retriesPerSecond, boolean closed) {
}
