package io.github.safesqlite;

import io.github.safesqlite.engine.Engine;
import io.github.safesqlite.engine.WakeChain;
import io.github.safesqlite.engine.WriterGate;
import io.github.safesqlite.engine.YieldBudget;
import io.github.safesqlite.retry.Retrying;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The asynchronous side of a data source: work submitted now runs on one daemon thread, the
 * drainer, and its future completes once the work's COMMIT returned (so with what is durable under
 * the configured {@code synchronous}), or with its failure. The drainer takes what is queued, in
 * order, and hands it to the writer gate as one arrival ({@link Engine#units}), so operations
 * submitted together share one COMMIT without a thread each waiting in the gate (docs/design.md,
 * "Asynchronous writer"). At most {@code capacity} operations are accepted and not yet finished; a
 * caller submitting past that waits for room (back-pressure) up to its wait bound, and then gets a
 * failed future: work is never dropped silently.
 */
final class AsyncWriter {

    /** Work run alone on the drainer, between batches: what cannot run inside a group's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Operations per arrival at the gate: the gate's own cap on a group, so one batch is at most one
     * group and the synchronous callers queued behind it wait for at most that.
     */
    static final int MAX_BATCH = WriterGate.MAX_COMBINED;
    /** Threads running stages at once, not counting those the pool adds while stages wait for futures. */
    static final int CALLBACK_THREADS = 2;

    /** One accepted operation: a unit for the writer, or work run alone; either way its future completes once. */
    private final class Operation<T> {
        final Engine.UnitTask<T> unit;
        final Work<T> alone;
        final AsyncResult<T> future;
        private T result;
        private Throwable failure;

        Operation(Engine.UnitTask<T> unit, Work<T> alone) {
            this.unit = unit;
            this.alone = alone;
            this.future = new AsyncResult<>(AsyncWriter.this);
        }

        /**
         * Runs the operation by itself: work that cannot be batched, or a unit again after a busy
         * failure, with what is left of its batch's {@code deadline} for its retries.
         */
        void runAlone(long deadline) {
            try {
                settle(alone != null ? alone.run() : TransactionRunner.retried(engine, holder, deadline, unit), null);
            } catch (Throwable e) {
                settle(null, e);
            }
        }

        /** Takes the outcome a batch left on its ticket; a busy or locked failure gets its retries alone. */
        @SuppressWarnings("unchecked")
        void take(WriterGate.Ticket ticket, long deadline) {
            Throwable f = ticket.failure();
            if (f instanceof SQLException busy && Retrying.isRetryable(busy)) {
                runAlone(deadline);
            } else {
                settle((T) ticket.result(), f);
            }
        }

        void settle(T r, Throwable f) {
            result = r;
            failure = f;
        }

        /** Hands the settled outcome to the future (and its stages, on the thread calling this). */
        void complete() {
            room.release(); // first: a stage run here may submit again
            if (failure == null) {
                future.complete(result);
            } else {
                future.completeExceptionally(failure);
            }
        }

        /** As {@link #complete} for a future without stages, adding its waiters to {@code waiters} unwoken. */
        void completeQuietly(List<AsyncResult.Waiter> waiters) {
            room.release();
            future.completeQuietly(result, failure, waiters);
        }
    }

    /**
     * Completes settled operations. A future that only has waiters (or nobody) is completed, in order,
     * here, and its waiters are woken as one chain with those of the rest of the batch (the writer
     * wakes one, each woken waiter the next: measured, 8 threads waiting for their own
     * {@code executeAsync}, 1.3–1.5x the throughput of waking each in turn); one with chained stages
     * is completed on a callback thread, a task of its own, so that application code never holds up
     * the writer, and a stage that waits for another future of the same batch does not find that
     * completion queued behind itself.
     */
    private void publish(List<Operation<?>> settled) {
        finishWaking();
        List<AsyncResult.Waiter> waiters = new ArrayList<>();
        List<Operation<?>> staged = null;
        for (Operation<?> op : settled) {
            if (op.future.hasStages()) {
                if (staged == null) {
                    staged = new ArrayList<>();
                }
                staged.add(op);
            } else {
                op.completeQuietly(waiters);
            }
        }
        if (!waiters.isEmpty()) {
            lastWoken = AsyncResult.wake(waiters);
        }
        if (staged != null) {
            for (Operation<?> op : staged) {
                try {
                    // One task each: a stage that waits for another future of the same batch must not
                    // have that future's completion queued behind itself.
                    callbacks.execute(op::complete);
                } catch (RejectedExecutionException closed) {
                    op.complete(); // the data source closed: here, rather than never
                }
            }
        }
    }

    /**
     * Wakes whoever the last batch's chain has not reached yet: a waiter that left without passing
     * it on (its {@code get} timed out as it was woken) leaves the rest to its 50 ms net otherwise.
     * Called before the next batch's waiters are woken, and before the drainer parks.
     */
    private void finishWaking() {
        WakeChain last = lastWoken;
        if (last != null) {
            last.wakeRest();
        }
    }

    /** Fails an operation that will not run, saying why. */
    private void abandon(Operation<?> op, String why) {
        op.settle(null, new SQLException(why, "08003"));
        publish(List.of(op));
    }

    /**
     * Who waits for the gate on behalf of this writer's batches, as time-out messages name it. One per
     * writer: the gate takes the same holder asking twice for a deadlock, and data sources on one
     * file share its gate.
     */
    private final Object holder =
            new TransactionRunner.UnitHolder("asynchronous work (executeAsync/inTransactionAsync)");

    private final Engine engine;
    private final String database;
    private final int capacity;
    private final long waitMillis;
    private final Semaphore room;
    private final ConcurrentLinkedQueue<Operation<?>> queue = new ConcurrentLinkedQueue<>();
    /** True from the start of a drainer until it ends: at most one runs, and one runs whenever work is queued. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /** The drainer running now (or the last one); set just after {@link #draining} turned true. */
    private volatile Thread drainer;
    /**
     * How long a drainer with nothing to do stays before its thread ends; the next submit starts
     * another. A thousand databases that wrote asynchronously once keep no thread each.
     */
    private final long idleNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("safesqlite.async.idleMillis", 30_000));
    /**
     * Where futures with chained stages are completed. A fork-join pool: a stage that waits there for
     * a future (a safesqlite one, or any CompletableFuture) lets the pool add a thread meanwhile, so
     * the completion it waits for is not stuck behind it; idle threads end after a minute.
     */
    private final ForkJoinPool callbacks;
    /** The chain that woke the waiters of the last batch published ({@link #finishWaking}). */
    private volatile WakeChain lastWoken;
    /** Its waiters' yields before parking: one budget per writer, since they wait for the same batches. */
    private final YieldBudget yields = new YieldBudget();
    /** Set by the drainer just before it parks for want of work: a submit must wake it. */
    private volatile boolean idle;
    private volatile boolean closed;
    private static final String NOT_STARTED =
            "the data source closed (close_timeout passed) before this operation started; it did not run";
    /** close_timeout passed: what has not started fails instead of running. */
    private volatile boolean abandoning;

    AsyncWriter(Engine engine, int capacity, long waitMillis) {
        this.engine = engine;
        this.database = engine.path();
        this.capacity = capacity;
        this.waitMillis = waitMillis;
        this.room = new Semaphore(capacity);
        AtomicInteger n = new AtomicInteger();
        this.callbacks = new ForkJoinPool(CALLBACK_THREADS, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("safesqlite-async-callbacks-" + engine.name() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, null, true);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** How long callers waiting for this writer's operations yield before they park. */
    YieldBudget yields() {
        return yields;
    }

    /** Whether the calling thread is the drainer: the one thread that must never wait for the queue. */
    boolean onDrainer() {
        return Thread.currentThread() == drainer;
    }

    /**
     * Null, or why the calling thread must not wait for an unfinished operation: it is the drainer,
     * which alone runs operations, or it holds the writer they need (an open write transaction).
     */
    SQLException waitingWouldDeadlock() {
        if (onDrainer()) {
            return new SQLException("would deadlock: code running on safesqlite's asynchronous writer thread (a "
                    + "unit of work's callback) waits for an asynchronous operation, which only that thread can run. "
                    + "Wait for it after the unit returned (thenCompose on the unit's future), or do that work in the "
                    + "unit itself", "40001");
        }
        if (engine.writerHeldHere()) {
            return new SQLException("would deadlock: this thread holds the writer of " + database + " (a write "
                    + "transaction open on one of its connections, or, in memory, rows still open) and waits for an "
                    + "asynchronous operation that needs it. The operation stays queued and runs once this thread "
                    + "lets the writer go: commit, roll back or close the rows first, then wait", "40001");
        }
        return null;
    }

    /** Makes sure a drainer sees what is queued: starts one when none runs, else wakes it if it parked. */
    private void wakeDrainer() {
        if (!draining.get() && draining.compareAndSet(false, true)) { // read first: a busy writer costs no CAS
            Thread t = daemon(this::drain, "safesqlite-async-" + engine.name());
            drainer = t;
            t.start();
        } else if (idle) {
            LockSupport.unpark(drainer);
        }
    }

    /** Accepts a unit of work for the writer; units queued together run as one group. */
    <T> CompletableFuture<T> submit(Engine.UnitTask<T> unit) {
        return accept(new Operation<>(unit, null));
    }

    /** Accepts work that must run by itself (it cannot run inside a group's transaction). */
    <T> CompletableFuture<T> submitAlone(Work<T> work) {
        return accept(new Operation<>(null, work));
    }

    private <T> CompletableFuture<T> accept(Operation<T> op) {
        if (closed) {
            op.future.completeExceptionally(new SQLException("the data source is closed; nothing was queued", "08003"));
            return op.future;
        }
        SQLException refused = waitForRoom();
        if (refused != null) {
            op.future.completeExceptionally(refused);
            return op.future;
        }
        queue.add(op);
        if (closed && queue.remove(op)) {
            // The close came between the check above and the queueing, and the drainer may be gone.
            abandon(op, "the data source closed before this operation could be queued; it did not run");
        } else {
            wakeDrainer();
        }
        return op.future;
    }

    /** Takes one place in the queue; null when taken, otherwise why not (nothing is queued then). */
    private SQLException waitForRoom() {
        try {
            if (onDrainer()) {
                // A unit's callback submitting more runs here; the room it would wait for only this thread frees.
                return room.tryAcquire() ? null : new SQLException("would deadlock: the asynchronous queue of "
                        + database + " is full (" + capacity + " operations unfinished) and this unit of work runs on "
                        + "the thread that empties it; this operation was not queued. Submit it after the unit, or "
                        + "raise async_queue", "40001");
            }
            // Room first without waiting: an interrupted thread may still queue work when there is room.
            if (room.tryAcquire() || room.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                return null;
            }
            return new SQLTimeoutException("the asynchronous queue of " + database + " stayed full (" + capacity
                    + " operations unfinished) for " + waitMillis + " ms; this one was not queued. Wait for futures "
                    + "before submitting more, or raise async_queue", "HYT00");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SQLException("interrupted while waiting for room in the asynchronous queue; this operation "
                    + "was not queued", "57014", e);
        }
    }

    /** A drainer's thread: its loop, and a successor if the loop ever ends by an error (an OutOfMemoryError). */
    private void drain() {
        boolean ended = false;
        try {
            ended = drainUntilDone();
        } finally {
            if (!ended) {
                draining.set(false); // the flag is still this drainer's: without this nothing would run again
                if (!queue.isEmpty() && !closed) {
                    wakeDrainer();
                }
            }
        }
    }

    /**
     * The drainer's loop: batches of units, in order, each batch one arrival at the gate. It ends
     * when closed and nothing is queued, or after {@link #idleNanos} with nothing to do, having
     * given up {@link #draining}.
     *
     * @return true (it ends only that way)
     */
    private boolean drainUntilDone() {
        List<Operation<?>> batch = new ArrayList<>(MAX_BATCH);
        long idleSince = 0;
        while (true) {
            if (!abandoning) {
                Thread.interrupted(); // only close() interrupts this thread, and only once abandoning
            }
            Operation<?> op = queue.poll();
            if (op == null) {
                finishWaking();
                long now = System.nanoTime();
                if (idleSince == 0) {
                    idleSince = now;
                }
                if ((closed || now - idleSince >= idleNanos) && !stayForQueuedWork()) {
                    return true;
                }
                idle = true;
                if (queue.isEmpty() && !closed) {
                    LockSupport.parkNanos(this, idleNanos - (now - idleSince));
                }
                idle = false;
                continue;
            }
            idleSince = 0;
            if (abandoning) {
                abandon(op, NOT_STARTED);
                continue;
            }
            if (cancelled(op)) {
                continue;
            }
            if (op.unit == null) {
                op.runAlone(engine.deadline());
                publish(List.of(op));
                continue;
            }
            batch.clear();
            batch.add(op);
            for (Operation<?> next; batch.size() < MAX_BATCH && (next = nextUnit()) != null; ) {
                batch.add(next);
            }
            if (abandoning) {
                for (Operation<?> o : batch) {
                    abandon(o, NOT_STARTED);
                }
                continue;
            }
            runBatch(batch);
        }
    }

    /**
     * The next unit in the queue, for the batch being formed or running: cancelled ones skipped,
     * null at work that must run alone or when none is queued.
     */
    private Operation<?> nextUnit() {
        for (Operation<?> next; (next = queue.peek()) != null && next.unit != null && !abandoning; ) {
            Operation<?> taken = queue.poll();
            if (taken == null) {
                return null;
            }
            if (!cancelled(taken)) {
                return taken; // what was peeked: only close() polls too, and only once abandoning is set
            }
        }
        return null;
    }

    /**
     * Whether the application cancelled (or itself completed) the operation's future before the
     * operation started: then it never runs, and only its place in the queue is given back. Once
     * started, an operation runs to its end; cancelling only detaches the future from it.
     */
    private static boolean cancelled(Operation<?> op) {
        if (!op.future.isDone()) {
            return false;
        }
        op.complete(); // a no-op on the future; gives the room back
        return true;
    }

    /**
     * Ends this drainer's turn, unless work was queued meanwhile and no other drainer started for
     * it: then it goes on. A submit queues first and looks second; this ends first and looks second,
     * so one of the two sees the other.
     */
    private boolean stayForQueuedWork() {
        draining.set(false);
        return !queue.isEmpty() && draining.compareAndSet(false, true);
    }

    /** Runs {@code batch} as one arrival at the gate and completes each future with its own outcome, in order. */
    private void runBatch(List<Operation<?>> batch) {
        List<Engine.UnitTask<?>> units = new ArrayList<>(batch.size());
        for (Operation<?> op : batch) {
            units.add(op.unit);
        }
        long deadline = engine.deadline();
        List<WriterGate.Ticket> tickets;
        try {
            // What queued while this batch waited for the gate joins its group, as callers queued there do.
            tickets = engine.units(holder, deadline, units, () -> {
                Operation<?> next = nextUnit(); // the gate stops at its cap (larger during a bulk load)
                if (next == null) {
                    return null;
                }
                batch.add(next);
                return next.unit;
            });
        } catch (Throwable e) {
            for (Operation<?> op : batch) {
                op.settle(null, e); // the engine closed, or refused the drainer: nothing of the batch ran
            }
            publish(batch);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).take(tickets.get(i), deadline);
        }
        publish(batch);
    }

    /** Operations accepted and not finished. */
    int unfinished() {
        return capacity - room.availablePermits();
    }

    /**
     * Accepts nothing more and waits up to {@code millis} for what was accepted, its futures'
     * stages included; what has not started by then fails, saying so, and the drainer is interrupted
     * (what it had queued at the gate is cancelled there, unwritten).
     *
     * @return true when everything accepted had finished
     */
    boolean close(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        closed = true;
        if (onDrainer()) {
            // Closed from inside a unit of work: waiting for the drainer would be waiting for this very
            // call. The engine goes right after, so what is queued behind the unit could not run either.
            abandonQueued(null, "the data source was closed by an asynchronous unit of work that ran before this "
                    + "operation; it did not run");
            return false;
        }
        try {
            while (draining.get() || !queue.isEmpty()) {
                wakeDrainer(); // what was queued as the close began still needs a drainer to run it
                Thread d = drainer;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    abandonQueued(d, NOT_STARTED);
                    return false;
                }
                if (d != null && d.isAlive()) {
                    d.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } else {
                    Thread.yield(); // a drainer is starting: its thread is not published yet
                }
            }
            callbacks.shutdown();
            return callbacks.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonQueued(drainer, NOT_STARTED);
            return false;
        }
    }

    /**
     * Fails what has not started, saying {@code why}, and interrupts {@code running} (the drainer, or
     * null), so its waits at the gate end.
     */
    private void abandonQueued(Thread running, String why) {
        abandoning = true;
        for (Operation<?> op; (op = queue.poll()) != null; ) {
            abandon(op, why);
        }
        if (running != null) {
            running.interrupt();
        }
        callbacks.shutdown(); // what is handed over still runs; stages that never end are the application's
    }
}
