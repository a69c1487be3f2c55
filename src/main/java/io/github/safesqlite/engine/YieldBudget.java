package io.github.safesqlite.engine;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How many times a caller waiting for a group's outcome yields its CPU before it parks, learned
 * from how such waits ended lately. Parking costs a futex sleep, and waking it a futex wake (an
 * inter-processor interrupt under a hypervisor); measured, the two were 40% of all CPU time with
 * 8 threads of grouped inserts on 2 cores. A waiter that yields instead stays runnable and lets
 * the other callers run meanwhile, so when its group commits it goes on without either system
 * call: 8 threads of autocommit inserts went from 41–62k/s to 72–105k/s (docs/design.md, "Yielding
 * before parking").
 *
 * <p>Yielding only pays when other threads are runnable: with two callers on two cores it is a
 * busy wait that burned a fifth more CPU per insert for no gain. So the budget adapts, as
 * HotSpot's spinning on a contended monitor does: a wait that ended while yielding earns the next
 * one more yields, up to {@link #MAX}; a wait that had to park anyway costs the next one a yield,
 * down to one, never none, so that a budget that shrank can grow again when the load changes.
 * Races between waiters updating it only blur the estimate.
 *
 * <p>And a wait stops yielding early once {@link #MAX_IDLE_YIELDS} of its yields found nobody else
 * to run (they came back within {@link #IDLE_YIELD_NANOS}): those are a busy wait, whatever the
 * budget says. Yields that ran another thread do not count, so where callers share a core the
 * budget may be spent in full: 8 threads of batched transfer units ran about 6% faster with up to
 * 40 yields than with 10, and two callers on two cores cost no more CPU than with 10
 * (docs/design.md, "Yielding before parking"). The count is of yields, not of time: a bound in
 * time cut waits short whenever a yield ran another thread for a while.
 */
public final class YieldBudget {

    /** Yields at most, per wait, when the yields run other threads. */
    static final int MAX = 40;
    /**
     * Yields per wait that may find nobody else to run before the wait parks: about 15 µs of a
     * core on this machine, the whole budget before the budget grew past it.
     */
    static final int MAX_IDLE_YIELDS = 10;
    /**
     * A yield that comes back sooner than this ran nobody else: a yield alone is a system call of
     * one or two microseconds here, and one that runs another thread lasts that thread's turn.
     */
    static final long IDLE_YIELD_NANOS = 5_000;

    private final Runnable yield;
    private final LongSupplier nanoTime;
    private volatile int budget = MAX;

    /** A budget that yields with {@link Thread#yield()} and times yields with {@link System#nanoTime()}. */
    public YieldBudget() {
        this(Thread::yield, System::nanoTime);
    }

    /** For tests: what one yield does, and the clock that tells an idle yield from one that ran others. */
    YieldBudget(Runnable yield, LongSupplier nanoTime) {
        this.yield = yield;
        this.nanoTime = nanoTime;
    }

    /**
     * Yields up to the current budget, looking at {@code done} after each yield, and stops early
     * after {@link #MAX_IDLE_YIELDS} yields that ran nobody else.
     *
     * @return true when {@code done} held before the yields ran out (the caller need not park)
     */
    public boolean yieldUntil(BooleanSupplier done) {
        int b = budget;
        int idle = 0;
        long before = nanoTime.getAsLong();
        for (int i = 0; i < b && idle < MAX_IDLE_YIELDS; i++) {
            yield.run();
            if (done.getAsBoolean()) {
                if (b < MAX) {
                    budget = b + 1;
                }
                return true;
            }
            long after = nanoTime.getAsLong();
            if (after - before < IDLE_YIELD_NANOS) {
                idle++;
            }
            before = after;
        }
        if (b > 1) {
            budget = b - 1;
        }
        return false;
    }

    /** The yields the next wait may spend. */
    int budget() {
        return budget;
    }
}
