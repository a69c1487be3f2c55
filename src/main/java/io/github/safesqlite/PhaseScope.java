package io.github.safesqlite;

import io.github.safesqlite.engine.Engine;
import java.sql.SQLException;

/**
 * A workload phase in force on one database, from {@link SafeSqliteDataSource#phase(Phase)} until
 * {@link #close()}: use it in try-with-resources. Closing restores the profile and runs the phase's
 * clean-up; closing again does nothing.
 */
public final class PhaseScope implements AutoCloseable {

    private final Engine engine;
    private final Phase phase;
    private boolean closed;

    PhaseScope(Engine engine, Phase phase) {
        this.engine = engine;
        this.phase = phase;
    }

    /** The phase in force. */
    public Phase phase() {
        return phase;
    }

    /**
     * Ends the phase: the profile's values come back and the phase's clean-up runs (see {@link Phase}).
     *
     * @throws SQLException when the clean-up failed (the phase has ended anyway)
     */
    @Override
    public synchronized void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        engine.leavePhase(phase);
    }
}
