package io.github.safesqlite.metrics;

import io.github.safesqlite.SafeSqliteListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners heard as one. A listener that throws is logged (at WARN the first time, then
 * at DEBUG) and the others still hear the event: instrumentation never fails a statement, and
 * never escapes from the writer gate's release. Internal to safesqlite.
 */
public final class Listeners implements SafeSqliteListener {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    /** Replaced whole when a listener is added, so an event reads it once and never sees half a change. */
    private volatile SafeSqliteListener[] all;
    private volatile boolean timesStatements;
    private final Set<Class<?>> reported = ConcurrentHashMap.newKeySet();

    private Listeners(List<SafeSqliteListener> listeners) {
        set(listeners.toArray(new SafeSqliteListener[0]));
    }

    /** One listener that passes every event to each of {@code listeners}, in order. */
    public static Listeners of(List<SafeSqliteListener> listeners) {
        return new Listeners(List.copyOf(listeners));
    }

    /** Adds a listener, which hears every event from now on (after the others). */
    public synchronized void add(SafeSqliteListener listener) {
        SafeSqliteListener[] more = java.util.Arrays.copyOf(all, all.length + 1);
        more[all.length] = listener;
        set(more);
    }

    private void set(SafeSqliteListener[] listeners) {
        boolean times = false;
        for (SafeSqliteListener l : listeners) {
            times |= l.timesStatements();
        }
        this.all = listeners;
        this.timesStatements = times;
    }

    /** Logs a listener's failure; the event goes on to the others. Each event loops itself: a lambda per event would allocate. */
    private void failed(SafeSqliteListener l, RuntimeException e) {
        if (reported.add(l.getClass())) {
            LOG.warn("safesqlite listener {} threw; the event is skipped for it (further failures are "
                    + "logged at DEBUG)", l.getClass().getName(), e);
        } else {
            LOG.debug("safesqlite listener {} threw", l.getClass().getName(), e);
        }
    }

    @Override
    public boolean timesStatements() {
        return timesStatements;
    }

    @Override
    public void statementExecuted(String database, String normalizedSql, long nanos, Throwable failure,
            BoundValues parameters) {
        for (SafeSqliteListener l : all) {
            try {
                l.statementExecuted(database, normalizedSql, nanos, failure, parameters);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void gateWaited(String database, long nanos) {
        for (SafeSqliteListener l : all) {
            try {
                l.gateWaited(database, nanos);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void gateHeld(String database, long nanos) {
        for (SafeSqliteListener l : all) {
            try {
                l.gateHeld(database, nanos);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void readerLent(String database) {
        for (SafeSqliteListener l : all) {
            try {
                l.readerLent(database);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void readerWaited(String database, long nanos) {
        for (SafeSqliteListener l : all) {
            try {
                l.readerWaited(database, nanos);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void busy(String database, boolean retrying) {
        for (SafeSqliteListener l : all) {
            try {
                l.busy(database, retrying);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void rerouted(String database) {
        for (SafeSqliteListener l : all) {
            try {
                l.rerouted(database);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void rolledBack(String database) {
        for (SafeSqliteListener l : all) {
            try {
                l.rolledBack(database);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void optimisticWrite(String database, boolean conflicted) {
        for (SafeSqliteListener l : all) {
            try {
                l.optimisticWrite(database, conflicted);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void writesGrouped(String database, int statements) {
        for (SafeSqliteListener l : all) {
            try {
                l.writesGrouped(database, statements);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }

    @Override
    public void checkpointed(String database, String mode, boolean complete) {
        for (SafeSqliteListener l : all) {
            try {
                l.checkpointed(database, mode, complete);
            } catch (RuntimeException e) {
                failed(l, e);
            }
        }
    }
}
