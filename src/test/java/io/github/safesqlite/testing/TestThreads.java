package io.github.safesqlite.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Helper threads whose failures fail the test: a plain {@code new Thread} that throws an
 * AssertionError only prints it, and the test passes anyway. {@link #joinAll} waits for every
 * thread and rethrows the first failure (the others suppressed), or fails naming a thread that
 * is still running.
 */
public final class TestThreads {

    /** A thread's body, which may throw anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** Starts {@code body} on a new thread called {@code name}. */
    public Thread start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(new AssertionError("helper thread '" + Thread.currentThread().getName() + "' failed", e));
            }
        }, name);
        synchronized (threads) {
            threads.add(t);
        }
        t.start();
        return t;
    }

    /**
     * Waits for every thread started so far; fails when one failed or did not end. The bound only
     * turns a hang into a failure: it is generous, and nothing is measured against it.
     */
    public void joinAll() throws InterruptedException {
        List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            t.join(120_000);
            if (t.isAlive()) {
                throw new AssertionError("helper thread '" + t.getName() + "' is still running (hung?)");
            }
        }
        rethrowFailures();
    }

    /** Fails with what a helper thread threw, if any did. */
    public void rethrowFailures() {
        Throwable first = failures.poll();
        if (first == null) {
            return;
        }
        for (Throwable more; (more = failures.poll()) != null; ) {
            first.addSuppressed(more);
        }
        if (first instanceof Error e) {
            throw e;
        }
        throw new AssertionError(first);
    }
}
