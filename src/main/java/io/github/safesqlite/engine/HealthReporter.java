package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteHealth;
import io.github.safesqlite.SafeSqliteHealthMXBean;
import io.github.safesqlite.metrics.DatabaseMetrics;
import java.lang.management.ManagementFactory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BooleanSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds health snapshots of one engine, and serves them over JMX when asked to. */
final class HealthReporter implements SafeSqliteHealthMXBean {

    private static final Logger LOG = LoggerFactory.getLogger(HealthReporter.class);

    private final String database;
    private final String name;
    private final WriterGate gate;
    private final ReaderPool readers;
    private final Checkpointer checkpointer;
    private final DatabaseMetrics metrics;
    private final AuxiliaryConnection auxiliary;
    private final BooleanSupplier closed;
    private ObjectName registered;

    /**
     * @param readers      the reader pool, or null for an in-memory database
     * @param checkpointer the checkpointer, or null for an in-memory database
     * @param closed       true once the database is closing
     */
    HealthReporter(String database, String name, WriterGate gate, ReaderPool readers, Checkpointer checkpointer,
            DatabaseMetrics metrics, AuxiliaryConnection auxiliary, BooleanSupplier closed) {
        this.database = database;
        this.name = name;
        this.gate = gate;
        this.readers = readers;
        this.checkpointer = checkpointer;
        this.metrics = metrics;
        this.auxiliary = auxiliary;
        this.closed = closed;
    }

    SafeSqliteHealth snapshot() {
        Checkpointer cp = checkpointer;
        Checkpointer.Result last = cp == null ? null : cp.last();
        String lastText = last == null ? "none" : last.mode() + " " + last.checkpointedFrames() + "/" + last.walFrames()
                + " frames" + (last.busy() ? " (busy)" : "") + " at " + last.atMillis();
        return new SafeSqliteHealth(database, journalMode(), cp == null ? 0 : cp.walBytes(), lastText,
                cp != null && cp.starved(), readers == null ? 0 : readers.oldestLentMillis(), gate.holderThread(),
                gate.heldMillis(), gate.queued(), readers == null ? 0 : readers.inUse(),
                readers == null ? 0 : readers.idle(), metrics.retryRate(), closed.getAsBoolean());
    }

    private String journalMode() {
        if (closed.getAsBoolean()) {
            return "closed";
        }
        try (Statement st = auxiliary.get().raw().createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            return rs.next() ? rs.getString(1) : "unknown";
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Registers this as {@code io.github.safesqlite:type=Database,name=<database>}. */
    void register() {
        try {
            ObjectName objectName = new ObjectName("io.github.safesqlite:type=Database,name="
                    + ObjectName.quote(this.name));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
            server.registerMBean(this, objectName);
            registered = objectName;
        } catch (JMException e) {
            LOG.warn("could not register the health MXBean of {}; continuing without it", database, e);
        }
    }

    void unregister() {
        if (registered != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
            } catch (JMException ignored) {
                // already gone
            }
            registered = null;
        }
    }

    @Override
    public String getJournalMode() {
        return snapshot().journalMode();
    }

    @Override
    public long getWalBytes() {
        return snapshot().walBytes();
    }

    @Override
    public String getLastCheckpoint() {
        return snapshot().lastCheckpoint();
    }

    @Override
    public boolean isCheckpointStarved() {
        return snapshot().checkpointStarved();
    }

    @Override
    public long getOldestReaderMillis() {
        return snapshot().oldestReaderMillis();
    }

    @Override
    public String getWriterHolder() {
        return snapshot().writerHolder();
    }

    @Override
    public long getWriterHeldMillis() {
        return snapshot().writerHeldMillis();
    }

    @Override
    public int getWritersQueued() {
        return snapshot().writersQueued();
    }

    @Override
    public int getReadersInUse() {
        return snapshot().readersInUse();
    }

    @Override
    public int getReadersIdle() {
        return snapshot().readersIdle();
    }

    @Override
    public double getRetriesPerSecond() {
        return snapshot().retriesPerSecond();
    }
}
