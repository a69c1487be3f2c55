package io.github.safesqlite;

/**
 * The health of one database over JMX, registered as
 * {@code io.github.safesqlite:type=Database,name=<database>} when the setting {@code jmx} is true.
 * Every attribute is read fresh.
 */
public interface SafeSqliteHealthMXBean {

    /** See {@link SafeSqliteHealth#journalMode()}. */
    String getJournalMode();

    /** See {@link SafeSqliteHealth#walBytes()}. */
    long getWalBytes();

    /** See {@link SafeSqliteHealth#lastCheckpoint()}. */
    String getLastCheckpoint();

    /** See {@link SafeSqliteHealth#checkpointStarved()}. */
    boolean isCheckpointStarved();

    /** See {@link SafeSqliteHealth#oldestReaderMillis()}. */
    long getOldestReaderMillis();

    /** See {@link SafeSqliteHealth#writerHolder()}. */
    String getWriterHolder();

    /** See {@link SafeSqliteHealth#writerHeldMillis()}. */
    long getWriterHeldMillis();

    /** See {@link SafeSqliteHealth#writersQueued()}. */
    int getWritersQueued();

    /** See {@link SafeSqliteHealth#readersInUse()}. */
    int getReadersInUse();

    /** See {@link SafeSqliteHealth#readersIdle()}. */
    int getReadersIdle();

    /** See {@link SafeSqliteHealth#retriesPerSecond()}. */
    double getRetriesPerSecond();
}
