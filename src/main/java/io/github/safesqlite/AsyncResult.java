package io.github.safesqlite;

import io.github.safesqlite.engine.WakeChain;
import io.github.safesqlite.engine.YieldBudget;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
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
 * (docs/design.md, "Asynchronous writer"). The writer wakes the waiters of a whole batch as one
 * {@link WakeChain}: it wakes the first, and each woken waiter wakes the next. A waiter yields its
 * CPU a few times before it parks ({@link YieldBudget}): a batch that finishes meanwhile costs it
 * no sleep, and the writer no wake-up.
 *
 * <p>A wait that only the waiting thread could end fails at once with an {@link SQLException}
 * (SQLState 40001), in the form {@code join} or {@code get} fails: on the writer's own thread (a
 * unit of work's callback runs there), or on a thread that holds the writer the operation needs.
 */
final class AsyncResult<T> extends CompletableFuture<T> {

    /**
     * Waiters park at most this long between looks: completing through a path that does not wake
     * them (the application's own {@code obtrudeValue}) costs them this much, never a hang.
     */
    private static final long PARK_NET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** A parked waiter, in a stack of them. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        Waiter next;
        /** Set before this waiter is woken by a chain: the chain it passes on once it wakes. */
        volatile WakeChain wakes;
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
        return wakingWaiters(super.complete(value));
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        return wakingWaiters(super.completeExceptionally(failure));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return wakingWaiters(super.cancel(mayInterruptIfRunning));
    }

    /**
     * Completes this future with {@code value}, or {@code failure} when not null, as
     * {@code complete} and {@code completeExceptionally} do, but wakes nobody: its waiters are
     * added to {@code waiters}, for the caller to wake as one chain ({@link #wake}).
     */
    void completeQuietly(T value, Throwable failure, List<Waiter> waiters) {
        if (failure == null) {
            super.complete(value);
        } else {
            super.completeExceptionally(failure);
        }
        for (Waiter w = WAITERS.getAndSet(this, null); w != null; w = w.next) {
            waiters.add(w);
        }
    }

    /**
     * Wakes {@code waiters} (of futures completed by {@link #completeQuietly}) as one chain: the
     * first now, each of the others when the one before it wakes. Returns the chain, for a
     * {@link WakeChain#wakeRest} when a link may have left without passing it on.
     */
    static WakeChain wake(List<Waiter> waiters) {
        List<Thread> threads = new ArrayList<>(waiters.size());
        for (Waiter w : waiters) {
            threads.add(w.thread);
        }
        WakeChain chain = new WakeChain(threads);
        for (Waiter w : waiters) {
            w.wakes = chain; // before any is woken: a waiter woken by the chain sees whom it wakes
        }
        chain.wakeNext();
        return chain;
    }

    /** Wakes the waiters after one of the completions above, passing its answer through. */
    private boolean wakingWaiters(boolean completedNow) {
        wakeWaiters();
        return completedNow;
    }

    @Override
    public T join() {
        if (!isDone()) {
            SQLException refused = waitsForItself();
            if (refused != null) {
                throw new CompletionException(refused);
            }
            Wait wait = new Wait(Long.MAX_VALUE, false);
            try {
                wait.await();
            } catch (InterruptedException cannotHappen) {
                throw new IllegalStateException(cannotHappen); // an uninterruptible wait never throws it
            }
            if (wait.interrupted) {
                Thread.currentThread().interrupt(); // join is not interruptible; the flag is kept for later
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
        new Wait(deadline, true).await();
        return isDone();
    }

    /**
     * One wait for this future. On a fork-join worker (a callback thread) it goes through
     * {@link ForkJoinPool#managedBlock}, as CompletableFuture's own waits do, so the pool adds a
     * thread for the completions queued behind this one.
     */
    private final class Wait implements ForkJoinPool.ManagedBlocker {
        private final long deadline;
        private final boolean interruptible;
        boolean interrupted;

        Wait(long deadline, boolean interruptible) {
            this.deadline = deadline;
            this.interruptible = interruptible;
        }

        void await() throws InterruptedException {
            Waiter me = push();
            try {
                if (Thread.currentThread() instanceof ForkJoinWorkerThread) {
                    ForkJoinPool.managedBlock(this);
                    return;
                }
                if (!isReleasable()) {
                    writer.yields().yieldUntil(this::isReleasable); // the batch may finish meanwhile: no sleep
                }
                while (!isReleasable() && !block()) {
                    // parked once; look again
                }
            } finally {
                WakeChain chain = me.wakes;
                if (chain != null) {
                    chain.wakeNext(); // this waiter's share of waking its batch, however its wait ended
                }
            }
        }

        @Override
        public boolean block() throws InterruptedException {
            if (Thread.interrupted()) {
                if (interruptible) {
                    throw new InterruptedException();
                }
                interrupted = true; // remembered: parking must not spin on the flag
            }
            if (!isReleasable()) {
                long left = deadline == Long.MAX_VALUE ? PARK_NET_NANOS
                        : Math.min(PARK_NET_NANOS, deadline - System.nanoTime());
                LockSupport.parkNanos(AsyncResult.this, left);
            }
            return isReleasable();
        }

        @Override
        public boolean isReleasable() {
            return isDone() || (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0);
        }
    }

    /** Joins the waiters: done from now on means it will be woken, or sees it done on its next look. */
    private Waiter push() {
        Waiter me = new Waiter();
        Waiter top;
        do {
            top = waiters;
            me.next = top;
        } while (!WAITERS.compareAndSet(this, top, me));
        return me;
    }

    private void wakeWaiters() {
        for (Waiter w = WAITERS.getAndSet(this, null); w != null; w = w.next) {
            LockSupport.unpark(w.thread);
        }
    }

    /** Null, or why this thread must not wait: it alone could let the operation run. */
    private SQLException waitsForItself() {
        return writer.waitingWouldDeadlock();
    }
}
