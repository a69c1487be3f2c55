package io.github.safesqlite.engine;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of {@code query_only} connections, opened on demand. A reader is lent to one
 * logical execution at a time and comes back when its ResultSet or Statement is closed.
 * Internal to safesqlite.
 */
final class ReaderPool {

    /** Opens one reader. */
    @FunctionalInterface
    interface Opener {
        PhysicalConnection open() throws SQLException;
    }

    private final Opener opener;
    private final String database;
    private final int max;
    private final long timeoutMillis;
    private final ArrayBlockingQueue<PhysicalConnection> idle;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    /** Every reader opened, for finding the one lent out longest ago (its snapshot holds checkpoints back). */
    private final java.util.concurrent.CopyOnWriteArrayList<PhysicalConnection> all =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ReaderPool(Opener opener, String database, int max, long timeoutMillis) {
        this.opener = opener;
        this.database = database;
        this.max = max;
        this.timeoutMillis = timeoutMillis;
        this.idle = new ArrayBlockingQueue<>(max);
    }

    PhysicalConnection borrow() throws SQLException {
        PhysicalConnection pc = idle.poll();
        if (pc == null) {
            pc = openOrWait();
        }
        inUse.incrementAndGet();
        pc.lentAt = System.nanoTime();
        return pc;
    }

    /** How long the reader lent out longest ago has been out, in milliseconds (0 when none is). */
    long oldestLentMillis() {
        long now = System.nanoTime();
        long oldest = 0;
        for (PhysicalConnection pc : all) {
            long since = pc.lentAt;
            if (since != 0) {
                oldest = Math.max(oldest, now - since);
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(oldest);
    }

    private PhysicalConnection openOrWait() throws SQLException {
        for (int n = opened.get(); n < max; n = opened.get()) {
            if (opened.compareAndSet(n, n + 1)) {
                try {
                    PhysicalConnection pc = opener.open();
                    all.add(pc);
                    return pc;
                } catch (SQLException | RuntimeException e) {
                    opened.decrementAndGet();
                    throw e;
                }
            }
        }
        try {
            PhysicalConnection pc = idle.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (pc == null) {
                throw new SQLTimeoutException("no reader of " + database + " became free within "
                        + timeoutMillis + " ms: all " + max + " are lent to open ResultSets, Statements or read-only "
                        + "transactions. Close them promptly, or raise the readers or reader_timeout settings.",
                        "HYT00");
            }
            return pc;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a reader of " + database
                    + "; the interrupt flag is still set", "57014", e);
        }
    }

    void giveBack(PhysicalConnection pc) {
        pc.lentAt = 0;
        inUse.decrementAndGet();
        if (closed || !idle.offer(pc)) {
            forget(pc);
        }
    }

    private void forget(PhysicalConnection pc) {
        all.remove(pc);
        opened.decrementAndGet();
        pc.close();
    }

    /** Closes a reader that must not be reused (its state is unknown after a failure). */
    void discard(PhysicalConnection pc) {
        pc.lentAt = 0;
        inUse.decrementAndGet();
        forget(pc);
    }

    int inUse() {
        return inUse.get();
    }

    int idle() {
        return idle.size();
    }

    void close() {
        closed = true;
        for (PhysicalConnection pc; (pc = idle.poll()) != null; ) {
            forget(pc);
        }
    }
}
