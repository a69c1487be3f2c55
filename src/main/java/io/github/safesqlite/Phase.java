package io.github.safesqlite;

/**
 * A phase of a workload, entered with {@link SafeSqliteDataSource#phase(Phase)}: while it lasts,
 * safesqlite tunes what is safe to tune for it, and when it ends it restores the profile and does
 * the phase's clean-up. Durability settings ({@code synchronous}, WAL) never change.
 */
public enum Phase {
    /**
     * Loading a lot of data: the writer's page cache grows (to at least 64 MiB), up to 512 queued
     * writes share a COMMIT (64 otherwise), and background checkpoints wait for a WAL 16 times larger
     * (at least 64 MiB), so the load is not interrupted to
     * copy pages it will change again. At the end: {@code PRAGMA optimize}, then a TRUNCATE
     * checkpoint (the WAL back to nothing; PASSIVE with {@code checkpoint_mode=PASSIVE}, none with EXTERNAL).
     */
    BULK_LOAD,
    /**
     * Heavy ad-hoc queries: every reader's page cache grows four times (to at least 32 MiB). At the
     * end: {@code PRAGMA optimize}, so that what the queries taught SQLite about the data is kept.
     */
    ANALYSIS,
    /**
     * Many report queries over data that no longer changes much: {@code ANALYZE} first, so the
     * planner has fresh statistics; readers map the file into memory (256 MiB) and their caches grow
     * four times. At the end the readers go back to the profile.
     */
    REPORTING
}
