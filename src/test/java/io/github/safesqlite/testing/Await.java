package io.github.safesqlite.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for an observable state (a queue length, a counter, a health field) instead of sleeping
 * for a guessed time. The bound only turns a state that never comes into a failure with a
 * message; it is generous, so a slow machine only makes the wait longer.
 */
public final class Await {

    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(120);

    private Await() {
    }

    /** Returns as soon as {@code condition} holds; fails naming {@code what} if it never does. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("never happened: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Returns once {@code thread} is inside {@code method} of the class named {@code className}
     * (for example parked in the writer gate's wait): the place a test wants it before it acts.
     */
    public static void inFrame(Thread thread, String className, String method) {
        until(thread.getName() + " inside " + className + "." + method, () -> isInFrame(thread, className, method));
    }

    /** Whether {@code thread} is inside {@code method} of the class named {@code className} right now. */
    public static boolean isInFrame(Thread thread, String className, String method) {
        for (StackTraceElement e : thread.getStackTrace()) {
            if (e.getClassName().equals(className) && e.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }
}
