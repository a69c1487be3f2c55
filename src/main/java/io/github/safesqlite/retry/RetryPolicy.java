package io.github.safesqlite.retry;

import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with full jitter inside a total time budget: the n-th wait is drawn
 * uniformly from {@code [0, min(cap, base * 2^n)]}, so contending writers spread out instead of
 * waking together, and no operation retries past its budget. Immutable. Internal to safesqlite.
 */
public final class RetryPolicy {

    private final long baseNanos;
    private final long capNanos;
    private final long budgetNanos;

    /**
     * @param baseMillis   the first wait's upper bound, in milliseconds (at least 0)
     * @param capMillis    no wait is longer than this, in milliseconds (at least {@code baseMillis})
     * @param budgetMillis the whole operation, waits and attempts together, in milliseconds (0: no retries)
     */
    public RetryPolicy(long baseMillis, long capMillis, long budgetMillis) {
        if (baseMillis < 0 || capMillis < baseMillis || budgetMillis < 0) {
            throw new IllegalArgumentException("retry settings need 0 <= retry_base <= retry_cap and retry_budget >= 0, "
                    + "got base " + baseMillis + ", cap " + capMillis + ", budget " + budgetMillis);
        }
        this.baseNanos = TimeUnit.MILLISECONDS.toNanos(baseMillis);
        this.capNanos = TimeUnit.MILLISECONDS.toNanos(capMillis);
        this.budgetNanos = TimeUnit.MILLISECONDS.toNanos(budgetMillis);
    }

    /** The bound of the wait before retry number {@code attempt} (1 for the first retry), in nanoseconds. */
    public long boundNanos(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 62);
        long bound = baseNanos << shift;
        return bound < 0 || (bound >> shift) != baseNanos || bound > capNanos ? capNanos : bound;
    }

    /**
     * The wait before retry {@code attempt}, or -1 when waiting would pass the budget.
     *
     * @param elapsedNanos time already spent on the operation
     */
    public long delayNanos(int attempt, long elapsedNanos, RandomGenerator random) {
        return delayNanos(attempt, elapsedNanos, budgetNanos, random);
    }

    /** As {@link #delayNanos(int, long, RandomGenerator)}, within {@code budgetNanos} when that is smaller. */
    public long delayNanos(int attempt, long elapsedNanos, long budgetNanos, RandomGenerator random) {
        long bound = boundNanos(attempt);
        long delay = bound == 0 ? 0 : random.nextLong(bound + 1);
        return elapsedNanos + delay > Math.min(budgetNanos, this.budgetNanos) ? -1 : delay;
    }

    /** The total budget, in milliseconds. */
    public long budgetMillis() {
        return TimeUnit.NANOSECONDS.toMillis(budgetNanos);
    }
}
