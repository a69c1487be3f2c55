package io.github.safesqlite.engine;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits one holder at a time to the writer, first come first served.
 *
 * <p>A fair lock that parks every waiter pays a wake-up per hand-off while the writer sits idle,
 * which costs more than an insert. Here the waiter at the head of the queue spins briefly, and
 * whoever hands the gate over also wakes the next waiter in line, so that by the time the new
 * holder is done its successor is usually already spinning and takes over in well under a
 * microsecond. Everyone else parks.
 *
 * <p>A holder is a logical connection; the same thread asking through a second logical
 * connection would wait for itself forever, so that fails at once. Internal to safesqlite.
 */
public final class WriterGate {

    private static final Logger LOG = LoggerFactory.getLogger(WriterGate.class);

    /** How long the head waiter spins before parking; about the length of a short transaction. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("safesqlite.spin", 50));

    private static final boolean YIELD = Boolean.getBoolean("safesqlite.yield");
    /** Parked waiters wake at least this often to check their deadline. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int CANCELLED = 2;

    /** One request for the gate; while granted it is the gate's ticket, released exactly once. */
    public static final class Ticket {
        private static final AtomicIntegerFieldUpdater<Ticket> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Ticket.class, "state");

        final Thread thread;
        final Object holder;
        volatile int state;
        volatile long grantedAt;
        volatile Throwable takenAt;
        volatile boolean leakReported;

        Ticket(Thread thread, Object holder) {
            this.thread = thread;
            this.holder = holder;
        }

        boolean move(int from, int to) {
            return STATE.compareAndSet(this, from, to);
        }
    }

    private final String database;
    private final long leakThresholdNanos;
    private final ConcurrentLinkedQueue<Ticket> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Ticket> owner = new AtomicReference<>();
    private final AtomicInteger waiting = new AtomicInteger();

    WriterGate(String database, long leakThresholdMillis) {
        this.database = database;
        this.leakThresholdNanos = TimeUnit.MILLISECONDS.toNanos(leakThresholdMillis);
    }

    /**
     * Waits for the gate in arrival order.
     *
     * @param holder  the logical connection asking; the same holder must not ask twice
     * @param timeout how long to wait, in milliseconds
     * @throws SQLException on time-out (naming the current holder), interrupt (the flag is kept),
     *                      or when this thread already holds the gate through another holder
     */
    public Ticket acquire(Object holder, long timeout) throws SQLException {
        Thread me = Thread.currentThread();
        Ticket current = owner.get();
        if (current != null && current.thread == me) {
            throw new SQLException("would deadlock: this thread already holds the writer of " + database
                    + " through another connection (" + current.holder + ") and now asks for it through "
                    + holder + ". Finish or roll back the first connection's transaction before writing "
                    + "through a second one, or use the same connection.", "40001");
        }
        Ticket ticket = new Ticket(me, holder);
        if (queue.isEmpty() && owner.compareAndSet(null, ticket)) {
            ticket.state = GRANTED;
            return granted(ticket);
        }
        queue.add(ticket);
        waiting.incrementAndGet();
        try {
            grantNext();
            return await(ticket, timeout);
        } finally {
            waiting.decrementAndGet();
        }
    }

    private Ticket await(Ticket ticket, long timeoutMillis) throws SQLException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long spinUntil = start + SPIN_NANOS;
        while (ticket.state != GRANTED) {
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                if (!cancel(ticket)) {
                    release(granted(ticket)); // granted at the same moment: give it back, the caller is leaving
                }
                throw new SQLException("interrupted while waiting for the writer of " + database
                        + "; nothing was written and the interrupt flag is still set", "57014");
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                if (cancel(ticket)) {
                    throw timeout(now - start);
                }
                break; // granted just as time ran out
            }
            if (now - spinUntil < 0 && queue.peek() == ticket) {
                if (YIELD) { Thread.yield(); } else { Thread.onSpinWait(); }
            } else {
                LockSupport.parkNanos(this, Math.min(deadline - now, MAX_PARK_NANOS));
                spinUntil = System.nanoTime() + SPIN_NANOS; // woken early by the hand-off: spin again
            }
        }
        return granted(ticket);
    }

    private Ticket granted(Ticket ticket) {
        ticket.grantedAt = System.nanoTime();
        if (leakThresholdNanos > 0) {
            ticket.takenAt = new Throwable("the writer gate of " + database + " was taken here by thread '"
                    + ticket.thread.getName() + "'");
        }
        return ticket;
    }

    /**
     * Gives the gate to the next waiter.
     *
     * @throws IllegalStateException when {@code ticket} does not hold the gate (a double release)
     */
    public void release(Ticket ticket) {
        if (!owner.compareAndSet(ticket, null)) {
            throw new IllegalStateException("writer gate of " + database + " released by a ticket that does not hold it");
        }
        grantNext();
    }

    private void grantNext() {
        while (true) {
            Ticket next = queue.peek();
            if (next == null || !owner.compareAndSet(null, next)) {
                return;
            }
            queue.remove(next);
            if (next.move(WAITING, GRANTED)) {
                LockSupport.unpark(next.thread);
                Ticket after = queue.peek();
                if (after != null) {
                    LockSupport.unpark(after.thread); // start it spinning while the new holder works
                }
                return;
            }
            owner.set(null); // it gave up waiting; try the one behind it
        }
    }

    private boolean cancel(Ticket ticket) {
        if (ticket.move(WAITING, CANCELLED)) {
            queue.remove(ticket);
            return true;
        }
        return false;
    }

    private SQLException timeout(long waitedNanos) {
        Ticket holder = owner.get();
        String who = holder == null ? "nobody holds it now (it was just released)"
                : "it is held by thread '" + holder.thread.getName() + "' (" + holder.holder + ") for "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - holder.grantedAt) + " ms";
        return new SQLTimeoutException("waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos)
                + " ms for the writer of " + database + " and gave up; " + who + ", " + waiting.get()
                + " writer(s) waiting. Keep write transactions short, close connections that hold one, or raise "
                + "gate_timeout.", "HYT00");
    }

    /** Number of writers waiting for the gate now. */
    public int queued() {
        return waiting.get();
    }

    /** Logs a warning, once per holding, when the gate has been held longer than the leak threshold. */
    void checkForLeak() {
        Ticket t = owner.get();
        if (t == null || leakThresholdNanos <= 0 || t.leakReported) {
            return;
        }
        long held = System.nanoTime() - t.grantedAt;
        if (held > leakThresholdNanos && t.takenAt != null) {
            t.leakReported = true;
            LOG.warn("writer gate of {} held for {} ms by thread '{}' ({}), past the leak detection threshold; "
                            + "a transaction or statement is probably not being closed",
                    database, TimeUnit.NANOSECONDS.toMillis(held), t.thread.getName(), t.holder, t.takenAt);
        }
    }
}
