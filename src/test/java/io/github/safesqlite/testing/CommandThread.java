package io.github.safesqlite.testing;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real thread that runs the commands a model-based test sends it, one at a time, so a test can
 * have a thread park in the code under test and then act on it (release, interrupt) from outside.
 * A command's failure is kept for the test to check; an interrupt aimed at a command ends with it.
 */
public final class CommandThread {

    /** What the thread runs. */
    @FunctionalInterface
    public interface Command {
        void run() throws Exception;
    }

    private final Thread thread;
    private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    /** Commands sent and not finished: counted at send, so "idle" never shows between take and run. */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopped;
    private volatile Throwable failure;

    public CommandThread(String name) {
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code command}; it runs after the ones sent before. */
    public void send(Command command) {
        pending.incrementAndGet();
        commands.add(command);
    }

    /** True when every command sent has finished. */
    public boolean idle() {
        return pending.get() == 0;
    }

    /** The thread, to interrupt it or look at where it is parked. */
    public Thread thread() {
        return thread;
    }

    /** What the last failing command threw, cleared by reading it; null when none failed. */
    public Throwable takeFailure() {
        Throwable f = failure;
        failure = null;
        return f;
    }

    /** True when a command failed and nobody took the failure yet. */
    public boolean failed() {
        return failure != null;
    }

    /** Ends the thread once its current command ends. */
    public void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void loop() {
        while (!stopped) {
            Command c;
            try {
                c = commands.take();
            } catch (InterruptedException e) {
                continue;
            }
            try {
                c.run();
            } catch (Throwable e) {
                failure = e;
            } finally {
                Thread.interrupted();
                pending.decrementAndGet();
            }
        }
    }
}
