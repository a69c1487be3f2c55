package io.github.safesqlite;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The asynchronous side of a data source: work submitted now runs on a few daemon threads, and its
 * future completes once the work's COMMIT returned (so with what is durable under the configured
 * {@code synchronous}), or with its failure. At most {@code capacity} operations are accepted and
 * not yet finished; a caller submitting past that waits for room (back-pressure) up to its wait
 * bound, and then gets a failed future: work is never dropped silently. Several threads, so that
 * autocommit statements submitted together reach the writer together and share a COMMIT (group
 * commit): the number of threads bounds a group's size.
 */
final class AsyncWriter {

    /** Work that runs on one of the threads. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /** One accepted operation: runs its work, or is failed if the writer closes before it starts. */
    private final class Operation<T> implements Runnable {
        final Work<T> work;
        final CompletableFuture<T> future;

        Operation(Work<T> work, CompletableFuture<T> future) {
            this.work = work;
            this.future = future;
        }

        @Override
        public void run() {
            try {
                future.complete(work.run());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            } finally {
                room.release();
            }
        }

        void abandon(String why) {
            future.completeExceptionally(new SQLException(why, "08003"));
            room.release();
        }
    }

    /**
     * Measured with one thread submitting 5,000 inserts, synchronous=FULL: 4 threads gave groups of
     * 2.6 and 1.1x plain sqlite-jdbc on one thread, 8 gave groups of 5.0 and 2.1x, 16 gave 9.2 and
     * 2.3x. Idle threads are parked, so 8.
     */
    static final int THREADS = 8;

    private final String database;
    private final int capacity;
    private final long waitMillis;
    private final Semaphore room;
    private final ExecutorService threads;
    private volatile boolean closed;

    AsyncWriter(String database, int capacity, long waitMillis) {
        this.database = database;
        this.capacity = capacity;
        this.waitMillis = waitMillis;
        this.room = new Semaphore(capacity);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "safesqlite-async-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Accepts {@code work}, waiting for room if {@code capacity} operations are unfinished. */
    <T> CompletableFuture<T> submit(Work<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new SQLException("the data source is closed; nothing was queued", "08003"));
            return future;
        }
        try {
            if (!room.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                future.completeExceptionally(new SQLTimeoutException("the asynchronous queue of " + database
                        + " stayed full (" + capacity + " operations unfinished) for " + waitMillis
                        + " ms; this one was not queued. Wait for futures before submitting more, or raise "
                        + "async_queue", "HYT00"));
                return future;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(new SQLException("interrupted while waiting for room in the asynchronous "
                    + "queue; this operation was not queued", "57014", e));
            return future;
        }
        Operation<T> operation = new Operation<>(work, future);
        try {
            threads.execute(operation);
        } catch (RejectedExecutionException closing) {
            operation.abandon("the data source closed before this operation could be queued; it did not run");
        }
        return future;
    }

    /** Operations accepted and not finished. */
    int unfinished() {
        return capacity - room.availablePermits();
    }

    /**
     * Accepts nothing more and waits up to {@code millis} for what was accepted; what has not
     * started by then fails, saying so, and a running operation is interrupted.
     *
     * @return true when everything accepted had finished
     */
    boolean close(long millis) {
        closed = true;
        threads.shutdown();
        try {
            if (threads.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Runnable> notStarted = threads.shutdownNow();
        for (Runnable r : notStarted) {
            ((Operation<?>) r).abandon("the data source closed (close_timeout passed) before this operation started; "
                    + "it did not run");
        }
        return false;
    }
}
