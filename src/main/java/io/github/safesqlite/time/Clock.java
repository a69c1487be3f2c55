package io.github.safesqlite.time;

import java.util.concurrent.locks.LockSupport;

/**
 * Where the engine reads the time and waits out a back-off. Every deadline, time-out and
 * duration in the writer gate, the reader pool, the retries and the checkpointer comes from one
 * clock, so a test can drive them with a clock it moves itself instead of sleeping and hoping
 * (as Caffeine injects its {@code Ticker}). Parking that another thread ends with an unpark stays
 * on {@link LockSupport}; only the reading of time and the retry back-off go through here.
 * Internal to safesqlite.
 */
public interface Clock {

    /** The system's monotonic clock and real sleeping. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleepNanos(long nanos) {
            LockSupport.parkNanos(nanos);
        }
    };

    /** A monotonic reading in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch, for timestamps shown to people. */
    long wallMillis();

    /**
     * Waits about {@code nanos}; may return early (a spurious wake-up or an interrupt), so callers
     * check {@link #nanoTime()} and the interrupt flag.
     */
    void sleepNanos(long nanos);
}
