package io.github.safesqlite.engine;

import java.sql.SQLException;

/**
 * A thread that runs groupable writes for their callers while the writer is busy: a data source's
 * asynchronous writer. While it works through a backlog it takes what queued behind each group
 * straight into the next, where callers that serve the writer themselves hand the gate over to a
 * parked thread between groups; so the engine hands it a groupable write (an autocommit statement,
 * a batched unit of work) whenever the writer is busy, and lets the caller take a free writer
 * itself otherwise (docs/design.md, "Busy periods").
 */
public interface WriterThread {

    /** Whether the writer is busy enough that a groupable write should be handed over rather than barge. */
    boolean busy();

    /** Writes handed over whose callers wait and that have not been taken to the writer yet (health's writersQueued). */
    int waiting();

    /** Whether the calling thread is this thread: its own writes go to the gate. */
    boolean isWriterThread();

    /**
     * Runs {@code task} on this thread, in its turn with the rest of the queue, and returns its
     * outcome once the COMMIT that contains it returned. It waits up to {@code waitMillis} for the
     * task to start; past that, or when interrupted first, the task never runs and this fails
     * ({@code HYT00}, or {@code 57014} with the interrupt flag kept). A task that started is waited
     * for to its end, as a statement that runs is.
     *
     * @throws java.util.concurrent.RejectedExecutionException when this thread takes no more work
     *         (its data source closed); nothing was queued, and the caller goes to the gate itself
     */
    <T> T runWaiting(Engine.UnitTask<T> task, long waitMillis) throws SQLException;
}
