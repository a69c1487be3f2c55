package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.Lease;

/**
 * A physical connection a logical connection's open autocommit results hold (a reader, or for an
 * in-memory database the writer), shared by the connection's statements that run while those
 * results are open: a connection never waits for a second reader while it holds one (the N+1
 * pattern: iterate, and query for each row). Given back when the last results on it close.
 *
 * <p>A reader keeps the snapshot its open statement started with. Once the connection has written
 * since, that snapshot would hide its own write, so the reader is no longer shared: the router runs
 * the connection's reads on the writer until the held results close. Used with the connection's
 * lock held; one object per connection, reused, so a query allocates none.
 */
final class HeldConnection {

    private Lease lease;
    private int users;
    private boolean stale;

    /** True while results hold it. */
    boolean inUse() {
        return users > 0;
    }

    /** Starts holding {@code held} for one set of open results. */
    void start(Lease held) {
        lease = held;
        users = 1;
        stale = false;
    }

    /** The held lease when a read of this connection may run on it now, else null. */
    Lease shareable() {
        return users > 0 && !stale ? lease : null;
    }

    /** One more set of open results on it. */
    void join() {
        users++;
    }

    /** The connection wrote: a held reader's snapshot no longer shows its own writes. */
    void written() {
        if (users > 0 && lease.isReader()) {
            stale = true;
        }
    }

    /** Gives the lease back whoever still holds it: the connection is gone (see {@link Abandoned}). */
    void reclaim() {
        users = 1;
        release();
    }

    /** One set of open results closed; the last one gives the lease back. */
    void release() {
        if (--users == 0) {
            Lease l = lease;
            lease = null;
            l.release();
        }
    }
}
