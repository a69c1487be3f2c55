package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.retry.Retrying;
import io.github.safesqlite.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints the WAL off the application's threads. SQLite's own auto-checkpoint is off on every
 * connection (it would run inside whichever commit crosses the threshold, making that commit
 * slow). Instead this looks at the WAL every {@code checkpoint_interval} (a fifth of that while
 * the WAL grows): past
 * {@code checkpoint_threshold} bytes, when anything was written since the last look, it runs a
 * PASSIVE checkpoint (which never blocks anyone) and copies what writers appended meanwhile under the
 * writer gate; when
 * the WAL is past {@code journal_size_limit} and fully checkpointed, a TRUNCATE checkpoint under
 * the writer gate shrinks it to nothing. A checkpoint that cannot finish because a reader keeps an
 * old snapshot is reported with how long that reader has held it.
 */
final class Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** A reader this old keeping a checkpoint from completing is starving it; reports come at most this often. */
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a background TRUNCATE waits for readers before it gives up until the next tick. */
    private static final int TRUNCATE_WAIT_MILLIS = 5;
    /** While the WAL grows, the checkpointer looks this many times more often. */
    private static final int BUSY_DIVISOR = 5;

    /** The outcome of one checkpoint. */
    record Result(String mode, boolean busy, long walFrames, long checkpointedFrames, long atMillis) {
        boolean complete() {
            return !busy && checkpointedFrames >= walFrames;
        }
    }

    /**
     * When and how hard to checkpoint.
     *
     * @param thresholdBytes    WAL size past which a PASSIVE checkpoint runs
     * @param limitBytes        WAL size past which a TRUNCATE checkpoint shrinks it
     * @param intervalMillis    how often the WAL is looked at
     * @param gateTimeoutMillis how long a checkpoint queues for the writer gate before the next tick
     * @param truncate          whether a TRUNCATE may shrink the WAL ({@code checkpoint_mode=PASSIVE}: never)
     */
    record Settings(long thresholdBytes, long limitBytes, long intervalMillis, long gateTimeoutMillis, boolean truncate) {
    }

    private final String database;
    private final Path wal;
    private final Settings settings;
    private final WriterGate gate;
    private final ReaderPool.Opener opener;
    private final LongSupplier oldestReaderMillis;
    private final BooleanSupplier engineClosed;
    private final Clock clock;
    private final SafeSqliteListener listener;
    private final long busyIntervalMillis;
    /**
     * Gate holdings ended, and the WAL's size, when a checkpoint last completed under the gate: while
     * both are unchanged nothing new is in the WAL, and a look skips the checkpoint.
     */
    private volatile long settledHoldings = -1;
    private volatile long settledBytes = -1;
    /** The next look at the WAL, on the shared background scheduler. */
    private volatile ScheduledFuture<?> next;
    private PhysicalConnection connection;
    private boolean closed;
    private volatile Result last;
    private volatile long starvedSince;
    /** True while the WAL is past journal_size_limit and a TRUNCATE met readers still reading it. */
    private volatile boolean readersInTheWay;
    /** checkpoint_threshold, or a workload phase's larger one while it lasts. */
    private volatile long thresholdBytes;
    private long reportedAt;

    /**
     * @param database           the canonical database path; the WAL is this path plus {@code -wal}
     * @param gate               the writer gate, held while a checkpoint must not race writers
     * @param opener             opens the checkpointer's own connection, at its first checkpoint
     * @param oldestReaderMillis how long the reader lent out longest ago has been out
     * @param engineClosed       true once the database is closing: no more background checkpoints
     */
    Checkpointer(String database, Settings settings, WriterGate gate, ReaderPool.Opener opener,
            LongSupplier oldestReaderMillis, BooleanSupplier engineClosed, Clock clock, SafeSqliteListener listener) {
        this.database = database;
        this.wal = Path.of(database + "-wal");
        this.settings = settings;
        this.gate = gate;
        this.opener = opener;
        this.oldestReaderMillis = oldestReaderMillis;
        this.engineClosed = engineClosed;
        this.clock = clock;
        this.listener = listener;
        this.busyIntervalMillis = Math.max(1, settings.intervalMillis() / BUSY_DIVISOR);
        this.thresholdBytes = settings.thresholdBytes();
    }

    /** Checkpoints start past {@code bytes} of WAL from now on (a workload phase; the setting's value again after it). */
    void threshold(long bytes) {
        thresholdBytes = bytes;
    }

    /** Starts looking at the WAL; separate from the constructor so no tick sees a half-built checkpointer. */
    void start() {
        next = Background.SCHEDULER.schedule(() -> tickAndReschedule(0), settings.intervalMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Looks at the WAL, then again after {@code checkpoint_interval}, or a fifth of it while the WAL
     * is growing: every commit appends whole pages, so under steady writes the WAL grows by tens of
     * MB per 100 ms, and a file that size costs the file system new blocks at each commit. An idle
     * database is looked at only every {@code checkpoint_interval}.
     */
    private void tickAndReschedule(long previousBytes) {
        long bytes = tick();
        long delay = bytes > previousBytes ? busyIntervalMillis : settings.intervalMillis();
        synchronized (this) {
            if (!closed) { // close() cancels the next tick; one decided while it closes is not scheduled
                next = Background.SCHEDULER.schedule(() -> tickAndReschedule(bytes), delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Size of the WAL file in bytes (0 when there is none). */
    long walBytes() {
        try {
            return Files.size(wal);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The outcome of the latest settled checkpoint, or null before the first. */
    Result last() {
        return last;
    }

    /**
     * True while the WAL is past {@code journal_size_limit} and the last TRUNCATE found readers on it:
     * work that may choose (an optimistic transaction) should not start another read snapshot.
     */
    boolean readersInTheWay() {
        return readersInTheWay;
    }

    /** True while checkpoints cannot complete because a reader keeps an old snapshot. */
    boolean starved() {
        return starvedSince != 0;
    }

    /** One look at the WAL, checkpointing as needed; returns the WAL's size as it found it. */
    private long tick() {
        long bytes = walBytes();
        try {
            // Nothing written here since a complete checkpoint (another process's writes are its own
            // checkpointer's to copy, or the next local write brings this one back).
            // A settled WAL still over the limit is not done with, though: a complete PASSIVE does not
            // shrink the file, and a tick whose size was read before the last writes grew it (or whose
            // TRUNCATE found the gate taken) skipped its TRUNCATE; the next tick does it instead.
            boolean copied = bytes == settledBytes && gate.holdingsEnded() == settledHoldings
                    && !(bytes > settings.limitBytes() && settings.truncate());
            if (bytes <= thresholdBytes || copied || engineClosed.getAsBoolean()) {
                starvedSince = 0;
                return bytes;
            }
            Result r = runOwn("PASSIVE");
            // Writers append while it runs, so it usually ends a few frames behind them; and even a
            // complete one, left alone, did not let the next commit start the WAL over from its
            // beginning (one thread of FULL inserts grew it to 28 MB in 3 s). So the few frames left
            // are copied with the writer gate held, and the next commit finds the WAL fully copied and
            // nobody checkpointing: it starts over, and commits overwrite the file instead of growing
            // it, which a FULL commit's sync pays for (measured: appending costs plain sqlite-jdbc
            // 1.6x per FULL insert; docs/design.md, "Measured reasons").
            Result settled = checkpointUnderGate("PASSIVE");
            r = settled != null ? settled : r;
            last = r; // published once settled, so health never shows the step the catch-up corrects
            // Only a reader that has kept its snapshot past the report delay is starving it.
            if (!r.complete() && oldestReaderMillis.getAsLong() * 1_000_000 >= REPORT_NANOS) {
                reportStarvation(bytes, r);
                return bytes;
            }
            starvedSince = 0;
            if (bytes > settings.limitBytes() && settings.truncate()) {
                Result truncated = checkpointUnderGate("TRUNCATE"); // shrinks the WAL to nothing
                if (truncated != null) {
                    last = truncated;
                    // Readers kept it from truncating: optimistic transactions stop taking new ones until it can.
                    readersInTheWay = truncated.busy();
                }
            } else {
                readersInTheWay = false;
            }
        } catch (SQLException e) {
            if (Retrying.isRetryable(e)) {
                // another process is checkpointing, or holds the lock a TRUNCATE needs: the next tick tries again
                LOG.debug("background checkpoint of {} was busy", database);
            } else if (!engineClosed.getAsBoolean()) {
                LOG.warn("background checkpoint of {} failed; it will be tried again", database, e);
            }
        } catch (RuntimeException e) {
            if (!engineClosed.getAsBoolean()) {
                LOG.warn("background checkpoint of {} failed; it will be tried again", database, e);
            }
        }
        return bytes;
    }

    private void reportStarvation(long bytes, Result r) {
        long now = clock.nanoTime();
        if (starvedSince == 0) {
            starvedSince = now; // the reader's age already debounced this
        }
        if (reportedAt == 0 || now - reportedAt >= REPORT_NANOS) {
            reportedAt = now;
            LOG.warn("checkpoints of {} cannot keep up: the WAL is {} bytes and {} of {} frames are checkpointed, "
                            + "because a reader has kept its snapshot for {} ms. Keep read transactions and open "
                            + "ResultSets short.", database, bytes, r.checkpointedFrames(), r.walFrames(),
                    oldestReaderMillis.getAsLong());
        }
    }

    /**
     * Runs a checkpoint with the writer gate held, so no write is caught half-way. It queues for the
     * gate like a writer: under a steady stream of writes that is the only way it gets a turn, and
     * the writers' pause is short.
     *
     * @return its outcome, or null when a transaction held the writer past gate_timeout (the next
     *         tick tries again)
     */
    private Result checkpointUnderGate(String mode) throws SQLException {
        WriterGate.Ticket ticket;
        try {
            ticket = gate.acquire(new GateHolder("the background checkpointer"), settings.gateTimeoutMillis());
        } catch (SQLException busy) {
            return null;
        }
        long holdings = gate.holdingsEnded();
        Result r;
        try {
            r = mode.equals("TRUNCATE") ? truncateBriefly() : runOwn(mode);
        } finally {
            gate.release(ticket);
        }
        // this holding ends too; any other that ends from now on means new writes
        settledHoldings = r.complete() ? holdings + 1 : -1;
        settledBytes = r.complete() ? walBytes() : -1;
        return r;
    }

    /**
     * A background TRUNCATE waits for readers at most {@link #TRUNCATE_WAIT_MILLIS} (an application's
     * own waits 100 ms): it holds the writer gate meanwhile, and under a steady stream of short read
     * transactions a 100 ms wait that ends busy stalled every writer for 100 ms at each tick
     * (optimistic transfers: p99 107 ms). Busy, it is tried again at a later tick.
     */
    private synchronized Result truncateBriefly() throws SQLException {
        ownConnection().run("PRAGMA busy_timeout = " + TRUNCATE_WAIT_MILLIS);
        try {
            return runOwn("TRUNCATE");
        } finally {
            connection.run("PRAGMA busy_timeout = 100");
        }
    }

    /**
     * An application's own {@code PRAGMA wal_checkpoint}: run like the background checkpoints, on
     * this checkpointer's connection (which waits for readers only briefly) with the writer gate
     * held, so it never stalls writers for {@code busy_timeout} behind a reader; its outcome is
     * published in the health snapshot.
     *
     * @param mode PASSIVE, FULL, RESTART or TRUNCATE
     * @return SQLite's own answer (busy, log, checkpointed), copied
     * @throws SQLException when the gate does not come within gate_timeout, or the checkpoint fails
     */
    ResultSet forApplication(String mode) throws SQLException {
        WriterGate.Ticket ticket = gate.acquire(new GateHolder("an application's checkpoint"), settings.gateTimeoutMillis());
        try {
            synchronized (this) {
                try (Statement st = ownConnection().raw().createStatement();
                     ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
                    ResultSet copy = Rows.copy(rs);
                    copy.next();
                    Result r = new Result(mode, copy.getInt(1) != 0, copy.getLong(2), copy.getLong(3), clock.wallMillis());
                    copy.beforeFirst();
                    last = r;
                    listener.checkpointed(database, mode, r.complete());
                    return copy;
                }
            }
        } finally {
            gate.release(ticket);
        }
    }

    /** Runs a checkpoint on the checkpointer's own connection; the caller publishes the outcome. */
    private synchronized Result runOwn(String mode) throws SQLException {
        return run(mode, ownConnection());
    }

    /**
     * The checkpointer's own connection, opened at first use; never after {@link #close()}, since a
     * connection opened then would never be closed (and would bring the WAL file back). Called with
     * this object's lock held.
     */
    private PhysicalConnection ownConnection() throws SQLException {
        if (closed) {
            throw new SQLException("the checkpointer of " + database + " is closed", "08003");
        }
        if (connection == null) {
            connection = opener.open();
        }
        return connection;
    }

    /** Runs a checkpoint on {@code on} (the writer, when the engine closes) and publishes the outcome. */
    Result checkpoint(String mode, PhysicalConnection on) throws SQLException {
        Result r = run(mode, on);
        last = r;
        return r;
    }

    private Result run(String mode, PhysicalConnection on) throws SQLException {
        try (Statement st = on.raw().createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            rs.next();
            Result r = new Result(mode, rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3), clock.wallMillis());
            listener.checkpointed(database, mode, r.complete());
            return r;
        }
    }

    /** Stops the schedule and closes the connection; a checkpoint in progress finishes first. */
    synchronized void close() {
        closed = true; // a tick still running must not open a new connection, or schedule another, after this
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
