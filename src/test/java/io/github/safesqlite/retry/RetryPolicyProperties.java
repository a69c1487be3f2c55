package io.github.safesqlite.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import io.github.safesqlite.testing.ManualClock;
import io.github.safesqlite.time.Clock;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The back-off: exponential bounds up to the cap, full jitter inside them, and a budget never passed. */
class RetryPolicyProperties {

    @Property
    void boundsDoubleUpToTheCap(@ForAll @LongRange(min = 0, max = 100) long base,
            @ForAll @LongRange(min = 0, max = 5_000) long extra, @ForAll @IntRange(min = 1, max = 80) int attempt) {
        long cap = base + extra;
        RetryPolicy p = new RetryPolicy(base, cap, 10_000);
        long expected = java.math.BigInteger.valueOf(TimeUnit.MILLISECONDS.toNanos(base)).shiftLeft(attempt - 1)
                .min(java.math.BigInteger.valueOf(TimeUnit.MILLISECONDS.toNanos(cap))).longValueExact();
        assertEquals(expected, p.boundNanos(attempt));
    }

    @Property
    void everyDelayLiesWithinItsBound(@ForAll @LongRange(min = 0, max = 50) long base,
            @ForAll @LongRange(min = 0, max = 500) long extra, @ForAll @IntRange(min = 1, max = 30) int attempt,
            @ForAll long seed) {
        RetryPolicy p = new RetryPolicy(base, base + extra, Long.MAX_VALUE / 2_000_000);
        long d = p.delayNanos(attempt, 0, new Random(seed));
        assertTrue(d >= 0 && d <= p.boundNanos(attempt), () -> d + " outside [0, " + p.boundNanos(attempt) + "]");
    }

    @Property
    void waitingNeverPassesTheBudget(@ForAll @LongRange(min = 0, max = 20) long base,
            @ForAll @LongRange(min = 0, max = 200) long extra, @ForAll @LongRange(min = 0, max = 2_000) long budget,
            @ForAll @LongRange(min = 0, max = 5_000_000) long attemptCostNanos, @ForAll long seed) {
        RetryPolicy p = new RetryPolicy(base, base + extra, budget);
        Random random = new Random(seed);
        long elapsed = 0;
        for (int attempt = 1; attempt < 100_000; attempt++) {
            elapsed += attemptCostNanos;
            long d = p.delayNanos(attempt, elapsed, random);
            if (d < 0) {
                return;
            }
            elapsed += d;
            assertTrue(elapsed <= TimeUnit.MILLISECONDS.toNanos(budget), "slept past the budget");
        }
    }

    @Property(tries = 50)
    void jitterSpreadsAcrossTheWholeRange(@ForAll @IntRange(min = 1, max = 8) int attempt, @ForAll long seed) {
        RetryPolicy p = new RetryPolicy(2, 1_000, 1_000_000);
        Random random = new Random(seed);
        long bound = p.boundNanos(attempt);
        Set<Long> distinct = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 400; i++) {
            long d = p.delayNanos(attempt, 0, random);
            distinct.add(d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(distinct.size() > 390, "waits differ: " + distinct.size());
        assertTrue(min < bound / 10 && max > bound * 9 / 10, "waits cover [0, bound]: " + min + ".." + max + " of " + bound);
    }

    @Property(tries = 20)
    void retryingStopsAtTheFirstFailureThatIsNotBusy(@ForAll @IntRange(min = 0, max = 5) int busyFirst) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SQLException other = new SQLException("constraint");
        SQLException thrown = assertThrows(SQLException.class, () -> new Retrying(new RetryPolicy(0, 1, 10_000), "", Clock.SYSTEM, Retrying.Listener.NONE).run("test", () -> {
            if (calls.incrementAndGet() <= busyFirst) {
                throw new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY);
            }
            throw other;
        }));
        assertEquals(other, thrown);
        assertEquals(busyFirst + 1, calls.get());
    }

    @Property(tries = 20)
    void lockedAndBusyVariantsAreRetriedUntilTheyPass(@ForAll @IntRange(min = 0, max = 5) int failures,
            @ForAll boolean locked) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = new Retrying(new RetryPolicy(0, 1, 10_000), "", Clock.SYSTEM, Retrying.Listener.NONE).run("test", () -> {
            if (calls.incrementAndGet() <= failures) {
                throw new SQLiteException("x", locked ? SQLiteErrorCode.SQLITE_LOCKED_SHAREDCACHE
                        : SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT);
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(failures + 1, calls.get());
    }

    @Property(tries = 50)
    void aDatabaseBusyForeverIsGivenUpWithinTheBudgetOnTheInjectedClock(
            @ForAll @LongRange(min = 0, max = 20_000) long budget, @ForAll @LongRange(min = 1, max = 200) long cap) {
        ManualClock clock = new ManualClock();
        long start = clock.nanoTime();
        AtomicInteger calls = new AtomicInteger();
        int[] retried = new int[1];
        Retrying retrying = new Retrying(new RetryPolicy(1, cap, budget), "db", clock, r -> retried[0] += r ? 1 : 0);
        SQLException e = assertThrows(SQLException.class, () -> retrying.run("test", () -> {
            calls.incrementAndGet();
            throw new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY);
        }));
        long spent = clock.nanoTime() - start;
        assertTrue(spent <= TimeUnit.MILLISECONDS.toNanos(budget), "waited " + spent + " ns past a " + budget + " ms budget");
        assertTrue(spent > TimeUnit.MILLISECONDS.toNanos(budget - cap), "gave up " + spent + " ns into a " + budget
                + " ms budget although a back-off of at most " + cap + " ms still fitted");
        assertEquals(calls.get() - 1, retried[0], "every failure but the last was retried");
        assertTrue(e.getMessage().contains("gave up after " + calls.get() + " attempt(s) in "
                + TimeUnit.NANOSECONDS.toMillis(spent) + " ms (retry_budget " + budget + " ms"), e.getMessage());
    }
}
