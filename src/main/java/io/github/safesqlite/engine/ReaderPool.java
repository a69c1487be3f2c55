package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.time.Clock;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded pool of {@code query_only} connections, opened on demand. A reader is lent to one
 * logical execution at a time and comes back when its ResultSet or Statement is closed.
 *
 * <p>Idle readers sit in a fixed array of slots taken and filled by compare-and-set, so a loan and
 * its return take no lock and allocate nothing. Only a borrower that finds every reader lent out
 * (and the pool full) takes a lock, to sleep until one comes back. Internal to safesqlite.
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
    /** Idle readers; null where none is. */
    private final AtomicReferenceArray<PhysicalConnection> idle;
    private final AtomicInteger opened = new AtomicInteger();
    /** Borrowers asleep for a reader; a return wakes one only when there is one, so the fast path takes no lock. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock sleepLock = new ReentrantLock();
    private final Condition returned = sleepLock.newCondition();
    /** Every reader opened, for finding the one lent out longest ago (its snapshot holds checkpoints back). */
    private final CopyOnWriteArrayList<PhysicalConnection> all = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final SafeSqliteListener listener;
    private volatile boolean closed;
    /** The PRAGMAs every lent reader carries now (a phase's, or the profile's again after one), by generation. */
    private volatile Tuning tuning = new Tuning(0, java.util.Map.of());

    /** PRAGMAs readers must carry, numbered so that each reader applies each change once. */
    private record Tuning(int generation, java.util.Map<String, String> pragmas) {
    }

    /**
     * @param clock    where waits, time-outs and loan ages are measured
     * @param listener hears every loan and every wait for a reader: they are measured here and nowhere else
     */
    ReaderPool(Opener opener, String database, int max, long timeoutMillis, Clock clock, SafeSqliteListener listener) {
        this.opener = opener;
        this.database = database;
        this.max = max;
        this.timeoutMillis = timeoutMillis;
        this.idle = new AtomicReferenceArray<>(max);
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * An idle reader at once; else a newly opened one, or the first one returned within
     * {@code reader_timeout}. Only a loan that had to wait (or open a reader) is timed: timing
     * every loan cost more than the loan.
     */
    Lease lend() throws SQLException {
        return lend(timeoutMillis);
    }

    /** As {@link #lend()}, waiting at most {@code waitMillis} (the call's deadline can make it shorter). */
    Lease lend(long waitMillis) throws SQLException {
        PhysicalConnection pc = takeIdle();
        if (pc == null) {
            long start = clock.nanoTime();
            pc = openOrWait(Math.min(waitMillis, timeoutMillis));
            listener.readerWaited(database, clock.nanoTime() - start);
        }
        Tuning t = tuning;
        if (pc.tunedTo != t.generation()) {
            tune(pc, t);
        }
        listener.readerLent(database);
        pc.lentAt = clock.nanoTime();
        return pc.lendAsReader(this);
    }

    /**
     * From now on every reader lent carries {@code pragmas} (performance PRAGMAs of a workload phase,
     * or the profile's values after it): each applies them at its next loan, so a reader busy now is
     * not disturbed.
     */
    void retune(java.util.Map<String, String> pragmas) {
        synchronized (this) {
            tuning = new Tuning(tuning.generation() + 1, java.util.Map.copyOf(pragmas));
        }
    }

    /** Applies the current tuning to a reader about to be lent; one that cannot take it is closed, not lent. */
    private void tune(PhysicalConnection pc, Tuning t) throws SQLException {
        try {
            for (java.util.Map.Entry<String, String> e : t.pragmas().entrySet()) {
                pc.run("PRAGMA " + e.getKey() + " = " + e.getValue()); // numbers the engine computed, never user text
            }
            pc.tunedTo = t.generation();
        } catch (SQLException e) {
            discard(pc);
            throw e;
        }
    }

    private PhysicalConnection takeIdle() {
        for (int i = 0; i < max; i++) {
            PhysicalConnection pc = idle.get(i);
            if (pc != null && idle.compareAndSet(i, pc, null)) {
                return pc;
            }
        }
        return null;
    }

    /** Puts {@code pc} in a free slot; false when every slot is taken (it cannot happen while opened <= max). */
    private boolean putIdle(PhysicalConnection pc) {
        for (int i = 0; i < max; i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, pc)) {
                return true;
            }
        }
        return false;
    }

    /** How long the reader lent out longest ago has been out, in milliseconds (0 when none is). */
    long oldestLentMillis() {
        long now = clock.nanoTime();
        long oldest = 0;
        for (PhysicalConnection pc : all) {
            long since = pc.lentAt;
            if (since != 0) {
                oldest = Math.max(oldest, now - since);
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(oldest);
    }

    /** Opens a reader while the pool has room; otherwise sleeps until one is returned (or room appears). */
    private PhysicalConnection openOrWait(long waitMillis) throws SQLException {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        boolean counted = false; // counted once for the whole wait, so the gauge does not blink between slices
        try {
            while (true) {
                if (closed) {
                    throw new SQLNonTransientConnectionException("the safesqlite data source for " + database
                            + " closed while this read waited for a reader; create a new one to use the database again",
                            "08003");
                }
                PhysicalConnection pc = tryOpen();
                if (pc == null) {
                    if (!counted) {
                        waiting.incrementAndGet(); // before the scan under the lock: see awaitIdleOrRoom
                        counted = true;
                    }
                    pc = awaitIdleOrRoom(deadline - clock.nanoTime());
                }
                if (pc != null) {
                    return pc;
                }
                if (opened.get() >= max && deadline - clock.nanoTime() <= 0) {
                    throw new SQLTimeoutException("no reader of " + database + " became free within "
                            + waitMillis + " ms: all " + max + " are lent to open ResultSets, Statements or "
                            + "read-only transactions. Close them promptly, or raise the readers, reader_timeout or "
                            + "call_timeout settings.", "HYT00");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a reader of " + database
                    + "; the interrupt flag is still set", "57014", e);
        } finally {
            if (counted) {
                waiting.decrementAndGet();
            }
        }
    }

    /** A newly opened reader, or null when the pool already has {@code max}. */
    private PhysicalConnection tryOpen() throws SQLException {
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
        return null;
    }

    /**
     * Sleeps until a reader is returned, a reader is closed (room to open another) or {@code nanos}
     * pass; returns the idle reader it took, or null. The caller counts itself among the sleepers
     * before the slots are scanned under the lock, and a return fills its slot before it reads the
     * count, so a return is either seen by the scan or wakes the sleeper.
     */
    private PhysicalConnection awaitIdleOrRoom(long nanos) throws InterruptedException {
        // One sleep for the whole time left, not slices: a return that forgot to wake a sleeper must show
        // as a reader_timeout (the tests rely on it), not hide behind a periodic look.
        long left = nanos;
        sleepLock.lockInterruptibly();
        try {
            while (true) {
                PhysicalConnection pc = takeIdle();
                if (pc != null || left <= 0 || opened.get() < max || closed) {
                    return pc;
                }
                left = returned.awaitNanos(left);
            }
        } finally {
            sleepLock.unlock();
        }
    }

    private void wakeOne() {
        if (waiting.get() > 0) {
            sleepLock.lock();
            try {
                returned.signal();
            } finally {
                sleepLock.unlock();
            }
        }
    }

    void giveBack(PhysicalConnection pc) {
        pc.lentAt = 0;
        if (closed || !putIdle(pc)) {
            forget(pc);
            return;
        }
        if (closed) {
            // close() may have emptied the slots before this reader landed in one
            PhysicalConnection again = takeIdle();
            if (again != null) {
                forget(again);
            }
            return;
        }
        wakeOne();
    }

    private void forget(PhysicalConnection pc) {
        all.remove(pc);
        opened.decrementAndGet();
        pc.close();
        wakeOne(); // a sleeping borrower may open one in its place
    }

    /** Closes a reader that must not be reused (its state is unknown after a failure). */
    void discard(PhysicalConnection pc) {
        pc.lentAt = 0;
        forget(pc);
    }

    /** Readers lent out now (a gauge; exact when nothing is moving). */
    int inUse() {
        return Math.max(0, opened.get() - idle());
    }

    /** Reads asleep now, waiting for a reader to come back. */
    int waiting() {
        return waiting.get();
    }

    int idle() {
        int n = 0;
        for (int i = 0; i < max; i++) {
            if (idle.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    void close() {
        closed = true;
        for (PhysicalConnection pc; (pc = takeIdle()) != null; ) {
            forget(pc);
        }
        sleepLock.lock();
        try {
            returned.signalAll(); // borrowers asleep fail now rather than at reader_timeout
        } finally {
            sleepLock.unlock();
        }
    }
}
