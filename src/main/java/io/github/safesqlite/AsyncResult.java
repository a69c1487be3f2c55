package io.github.safesqlite;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of an asynchronous operation, and of every stage chained on it. A stage chained
 * without {@code Async} runs on the thread that completes the operation, the data source's
 * asynchronous writer; if such a stage waited there for another operation that is not finished, it
 * would wait for its own thread forever. That wait fails at once instead, with an
 * {@link SQLException} (SQLState 40001) saying so, in the form {@code join} or {@code get} fails.
 */
final class AsyncResult<T> extends CompletableFuture<T> {

    private final Thread writer;

    AsyncResult(Thread writer) {
        this.writer = writer;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new AsyncResult<>(writer);
    }

    @Override
    public T join() {
        if (waitsForItself()) {
            throw new CompletionException(wouldDeadlock());
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (waitsForItself()) {
            throw new ExecutionException(wouldDeadlock());
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (waitsForItself()) {
            throw new ExecutionException(wouldDeadlock());
        }
        return super.get(timeout, unit);
    }

    private boolean waitsForItself() {
        return !isDone() && Thread.currentThread() == writer;
    }

    private static SQLException wouldDeadlock() {
        return new SQLException("would deadlock: a stage running on safesqlite's asynchronous writer thread waits "
                + "for an asynchronous operation, which only that thread can run. Chain it with an Async stage "
                + "(thenComposeAsync, thenApplyAsync) on your own executor, or wait on your own thread", "40001");
    }
}
