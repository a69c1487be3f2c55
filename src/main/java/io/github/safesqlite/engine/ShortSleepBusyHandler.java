package io.github.safesqlite.engine;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;

/**
 * Waits for a lock held by another process in short, jittered sleeps (from 50 µs, doubling up to
 * 2 ms) for at most {@code busy_timeout}. SQLite's own busy handler sleeps 1, 2, 5 ... 100 ms, so a
 * writer waiting on another process often sleeps long past the moment the lock came free: with one
 * writer connection per process that left whole processes idle. Set on the writer only; it
 * replaces SQLite's {@code busy_timeout} there, with the same total wait.
 */
final class ShortSleepBusyHandler extends BusyHandler {

    private static final long FIRST_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long LONGEST_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final long timeoutNanos;
    private long startedAt;
    /** The deadline of the call now running on the writer (System.nanoTime), past which it stops waiting. */
    private volatile long deadline = Long.MAX_VALUE;

    ShortSleepBusyHandler(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** The call about to run on this connection waits no later than {@code deadlineNanos}. */
    void waitUntil(long deadlineNanos) {
        deadline = deadlineNanos;
    }

    /**
     * @param previousCalls how often SQLite already called this for the same lock (0 the first time)
     * @return non-zero to try the lock again, 0 to give up with SQLITE_BUSY
     */
    @Override
    protected int callback(int previousCalls) {
        long now = System.nanoTime();
        if (previousCalls == 0) {
            startedAt = now;
        }
        if (now - startedAt >= timeoutNanos || now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
            return 0;
        }
        long bound = Math.min(LONGEST_NANOS, FIRST_NANOS << Math.min(previousCalls, 10));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
        return 1;
    }
}
