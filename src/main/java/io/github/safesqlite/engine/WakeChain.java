package io.github.safesqlite.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes the parked callers of one finished group one after another: the thread that finished the
 * group wakes the first, and each caller, once woken, wakes the next. The thread that finished
 * the group is the writer, which every other caller waits for, and an unpark is a system call;
 * this way it pays one instead of one per caller, and the wake-ups run on the callers' own time,
 * beside the writer's next group (docs/design.md, "A group's callers are woken as a chain").
 *
 * <p>The chain needs one wake-up per caller, and any caller may make one: each wakes whichever
 * caller is next. A caller whose wait ended before it could pass the chain on (it timed out as
 * the group finished) leaves the callers after it parked until {@link #wakeRest}, or their own
 * time-out net; a publisher that cannot rely on every link calls it later. Waking a thread twice
 * is harmless: every waiter here re-checks its own condition after it parks.
 */
public final class WakeChain {

    private final Thread[] threads;
    private final AtomicInteger next = new AtomicInteger();

    /** A chain over {@code threads}, woken in that order. */
    public WakeChain(List<Thread> threads) {
        this.threads = threads.toArray(new Thread[0]);
    }

    /** Wakes the next caller not yet woken, if any. */
    public void wakeNext() {
        int i = next.getAndIncrement();
        if (i < threads.length) {
            LockSupport.unpark(threads[i]);
        }
    }

    /** Wakes every caller not yet woken. */
    public void wakeRest() {
        while (next.get() < threads.length) {
            wakeNext();
        }
    }
}
