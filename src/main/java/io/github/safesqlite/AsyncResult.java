package io.github.safesqlite;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * The future of an asynchronous operation. Threads waiting in {@code join} or {@code get} wait
 * here rather than as stages of the future, so that {@link #hasStages} tells the asynchronous
 * writer whether completing it would run application code: a future that only has waiters (or
 * nobody) is completed on the writer's thread, which wakes them directly; one with chained stages
 * is completed on a callback thread, so that the stages never hold up the writer
 * (docs/design.md, "Asynchronous writer").
 *
 * <p>A wait on the writer's own thread for an operation that is not finished would wait for itself
 * (a unit of work's callback runs there); it fails at once with an {@link SQLException} (SQLState
 * 40001), in the form {@code join} or {@code get} fails.
 */
final class AsyncResult<T> extends CompletableFuture<T> {

    /**
     * Waiters park at most this long between looks: completing through a path that does not wake
     * them (the application's own {@code obtrudeValue}) costs them this much, never a hang.
     */
    private static final long PARK_NET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** A parked waiter, in a stack of them. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        Waiter next;
    }

    private static final AtomicReferenceFieldUpdater<AsyncResult, Waiter> WAITERS =
            AtomicReferenceFieldUpdater.newUpdater(AsyncResult.class, Waiter.class, "waiters");

    private final AsyncWriter writer;
    private volatile Waiter waiters;

    AsyncResult(AsyncWriter writer) {
        this.writer = writer;
    }

    /** Whether completing this runs stages chained on it (waiters in join or get are not stages). */
    boolean hasStages() {
        return getNumberOfDependents() > 0;
    }

    @Override
    public boolean complete(T value) {
        boolean done = super.complete(value);
        wakeWaiters();
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        boolean done = super.completeExceptionally(failure);
        wakeWaiters();
        return done;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean done = super.cancel(mayInterruptIfRunning);
        wakeWaiters();
        return done;
    }

    @Override
    public T join() {
        if (!isDone()) {
            SQLException refused = waitsForItself();
            if (refused != null) {
                throw new CompletionException(refused);
            }
            boolean interrupted = false;
            push();
            while (!parked(Long.MAX_VALUE)) {
                if (Thread.interrupted()) {
                    interrupted = true; // join is not interruptible; parking must not spin on the flag
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            awaitInterruptibly(Long.MAX_VALUE);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone() && !awaitInterruptibly(System.nanoTime() + unit.toNanos(timeout))) {
            throw new TimeoutException();
        }
        return super.get();
    }

    /** Waits until done or {@code deadline} (System.nanoTime); false at the deadline. */
    private boolean awaitInterruptibly(long deadline) throws InterruptedException, ExecutionException {
        SQLException refused = waitsForItself();
        if (refused != null) {
            throw new ExecutionException(refused);
        }
        push();
        while (!parked(deadline)) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
                return isDone();
            }
        }
        return true;
    }

    /** Joins the waiters: done from now on means it will be woken, or sees it done on its next look. */
    private void push() {
        Waiter me = new Waiter();
        Waiter top;
        do {
            top = waiters;
            me.next = top;
        } while (!WAITERS.compareAndSet(this, top, me));
    }

    /** Looks, then parks once until woken, {@code deadline} or the net; true when done. */
    private boolean parked(long deadline) {
        if (isDone()) {
            return true;
        }
        long left = deadline == Long.MAX_VALUE ? PARK_NET_NANOS : Math.min(PARK_NET_NANOS, deadline - System.nanoTime());
        if (left > 0) {
            LockSupport.parkNanos(this, left);
        }
        return isDone();
    }

    private void wakeWaiters() {
        for (Waiter w = WAITERS.getAndSet(this, null); w != null; w = w.next) {
            LockSupport.unpark(w.thread);
        }
    }

    /** Null, or why this thread must not wait: it is the writer's, which alone can finish the operation. */
    private SQLException waitsForItself() {
        if (!writer.onDrainer()) {
            return null;
        }
        return new SQLException("would deadlock: code running on safesqlite's asynchronous writer thread (a unit of "
                + "work's callback) waits for an asynchronous operation, which only that thread can run. Wait for it "
                + "after the unit returned (thenCompose on the unit's future), or do that work in the unit itself",
                "40001");
    }
}
