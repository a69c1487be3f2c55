package io.github.safesqlite.engine;

import java.util.function.BooleanSupplier;

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
 */
public final class YieldBudget {

    /** Yields at most, per wait: about 15 µs of a core when nothing else is runnable. */
    static final int MAX = 10;

    private volatile int budget = MAX;

    /**
     * Yields up to the current budget, looking at {@code done} after each yield.
     *
     * @return true when {@code done} held before the budget ran out (the caller need not park)
     */
    public boolean yieldUntil(BooleanSupplier done) {
        int b = budget;
        for (int i = 0; i < b; i++) {
            Thread.yield();
            if (done.getAsBoolean()) {
                if (b < MAX) {
                    budget = b + 1;
                }
                return true;
            }
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
