package io.github.safesqlite.spring;

import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.SafeSqliteHealth;
import java.sql.SQLException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code safesqlite} component of {@code /actuator/health}: journal mode, WAL size, last
 * checkpoint, checkpoint starvation, the writer's holder and queue, readers in use. DOWN when the
 * data source is closed or cannot be opened, or while checkpoints are starved (a reader keeps an
 * old snapshot, so the WAL grows without bound until it lets go).
 */
public final class SafeSqliteHealthIndicator implements HealthIndicator {

    private final SafeSqliteDataSource dataSource;

    /** Reports on {@code dataSource}. */
    public SafeSqliteHealthIndicator(SafeSqliteDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Health health() {
        SafeSqliteHealth h;
        try {
            h = dataSource.health();
        } catch (SQLException e) {
            return Health.down(e).build();
        }
        Health.Builder b = h.closed() ? Health.down().withDetail("reason", "the data source is closed")
                : h.checkpointStarved() ? Health.down().withDetail("reason", "checkpoints are starved: a reader has "
                + "kept its snapshot for " + h.oldestReaderMillis() + " ms while the WAL grows")
                : Health.up();
        return b.withDetail("database", h.database())
                .withDetail("journalMode", h.journalMode())
                .withDetail("walBytes", h.walBytes())
                .withDetail("lastCheckpoint", h.lastCheckpoint())
                .withDetail("checkpointStarved", h.checkpointStarved())
                .withDetail("oldestReaderMillis", h.oldestReaderMillis())
                .withDetail("writerHeldMillis", h.writerHeldMillis())
                .withDetail("writersQueued", h.writersQueued())
                .withDetail("readersInUse", h.readersInUse())
                .withDetail("readersIdle", h.readersIdle())
                .withDetail("retriesPerSecond", h.retriesPerSecond())
                .build();
    }
}
