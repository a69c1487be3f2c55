package io.github.safesqlite.testing;

import io.github.safesqlite.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test moves it. A back-off "sleeps" by moving it forward, so
 * retries run their whole budget at once; readers of the time see exactly what the test set.
 */
public final class ManualClock implements Clock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L); // not 0: 0 means "not stamped" in places

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long wallMillis() {
        return nanos.get() / 1_000_000;
    }

    @Override
    public void sleepNanos(long n) {
        nanos.addAndGet(n);
        Thread.yield();
    }

    /** Moves the clock forward. */
    public void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000);
    }

    /** Moves the clock forward. */
    public void advanceNanos(long n) {
        nanos.addAndGet(n);
    }
}
