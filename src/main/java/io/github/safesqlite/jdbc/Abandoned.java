package io.github.safesqlite.jdbc;

import io.github.safesqlite.engine.Lease;
import java.lang.ref.Cleaner;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims what a logical connection held when the application lost it without closing it: its
 * transaction is rolled back and the writer gate released, and a reader held by its open rows goes
 * back, with a WARN. Without this, a connection dropped mid-transaction would hold the gate (and
 * every writer of the database) until the JVM exits.
 *
 * <p>The criterion is that the connection became unreachable, not that the thread that began its
 * transaction ended: connections may be shared by threads, and a transaction begun on one thread
 * may be committed on another. The action holds only the lease holders, never the connection.
 */
final class Abandoned implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Abandoned.class);
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "safesqlite-reclaimer");
        t.setDaemon(true);
        return t;
    });

    private final TransactionState.Slot transaction;
    private final HeldConnection reads;
    /** Names the lost connection in the warning; its text is made only then. */
    private final Object description;

    private Abandoned(TransactionState.Slot transaction, HeldConnection reads, Object description) {
        this.transaction = transaction;
        this.reads = reads;
        this.description = description;
    }

    /**
     * Reclaims what {@code connection} holds once it is unreachable; cleaning the returned handle
     * (at close, when nothing is held) unregisters it. {@code description} must not reach the
     * connection (or it would never become unreachable); its {@code toString()} names it in the
     * warning, and is called only then: this runs at every connection's first write transaction.
     */
    static Cleaner.Cleanable watch(Object connection, TransactionState.Slot transaction, HeldConnection reads,
            Object description) {
        return CLEANER.register(connection, new Abandoned(transaction, reads, description));
    }

    @Override
    public void run() {
        Lease lease = transaction.lease;
        if (lease != null) {
            transaction.lease = null;
            try {
                lease.physical().run("ROLLBACK");
            } catch (SQLException alreadyOver) {
                // nothing was open any more: the release below is all there is to do
            } finally {
                lease.release();
            }
            LOG.warn("{} was lost by the application in the middle of a transaction (never committed, rolled back "
                    + "or closed); its transaction was rolled back and the physical connection given back. Close "
                    + "every connection, for example with try-with-resources.", description);
        }
        TransactionState.endEarlierReader(transaction);
        if (reads.inUse()) {
            reads.reclaim();
            LOG.warn("{} was lost by the application with open results; their reader was given back", description);
        }
    }
}
