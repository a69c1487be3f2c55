package io.github.safesqlite.engine;

/**
 * A physical connection lent to one logical execution or transaction, and the way to give it
 * back: a reader returns to its pool, the writer releases the gate. A reader's lease object is
 * reused for each of its loans (so a read allocates none), which is why a holder must drop its
 * reference once it has released. Internal to safesqlite.
 *
 * <pre>
 *   lent ──release()──▶ released          (a second release does nothing)
 *     │
 *     └──discard()──▶ released; a reader is closed, not pooled (its state is unknown after a failure)
 *   a reader's released lease is lent again by its pool (relent)
 *   a batched unit's lease of the writer releases nothing: the gate stays with its holder
 * </pre>
 */
public final class Lease {

    private final PhysicalConnection physical;
    private final ReaderPool pool;
    private final WriterGate gate;
    private final WriterGate.Ticket ticket;
    private boolean released;

    /** A reader lent from {@code pool}. */
    Lease(ReaderPool pool, PhysicalConnection reader) {
        this.physical = reader;
        this.pool = pool;
        this.gate = null;
        this.ticket = null;
    }

    /** The writer, lent while {@code ticket} holds {@code gate}. */
    Lease(WriterGate gate, WriterGate.Ticket ticket, PhysicalConnection writer) {
        this.physical = writer;
        this.pool = null;
        this.gate = gate;
        this.ticket = ticket;
    }

    /**
     * The writer, lent to one batched unit of work by the gate's holder, who keeps the gate:
     * giving it back releases nothing.
     */
    Lease(PhysicalConnection writer) {
        this.physical = writer;
        this.pool = null;
        this.gate = null;
        this.ticket = null;
    }

    /** Makes a reader's lease usable for its next loan. */
    Lease relent() {
        released = false;
        return this;
    }

    /** The lent connection. */
    public PhysicalConnection physical() {
        return physical;
    }

    /** True for a pooled reader, where a write fails with SQLITE_READONLY before it does anything. */
    public boolean isReader() {
        return pool != null;
    }

    /** Gives the connection back; a second call does nothing. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        if (pool != null) {
            pool.giveBack(physical);
        } else if (gate != null) {
            gate.release(ticket); // the gate times its own hold
        }
    }

    /** Gives back a reader whose state is unknown after a failure: it is closed, not reused. */
    public void discard() {
        if (released) {
            return;
        }
        if (pool != null) {
            released = true;
            pool.discard(physical);
        } else {
            release();
        }
    }
}
