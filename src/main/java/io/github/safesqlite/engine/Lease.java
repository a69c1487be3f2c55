package io.github.safesqlite.engine;

/**
 * A physical connection lent to one logical execution or transaction, and the way to give it
 * back: a reader returns to the pool, the writer releases the gate. A reader's lease object is
 * reused for each of its loans (so a read allocates none), which is why a holder must drop its
 * reference once it has released. Internal to safesqlite.
 */
public final class Lease {

    /** What was lent. */
    public enum Kind {
        /** A pooled {@code query_only} reader. */
        READER,
        /** The writer, with the gate held for this lease. */
        WRITER
    }

    private final Engine engine;
    private final PhysicalConnection physical;
    private final Kind kind;
    private final WriterGate.Ticket ticket;
    /** When the gate was taken, for the gate-hold timer; readers are not timed. */
    private final long leasedAt;
    private boolean released;

    Lease(Engine engine, PhysicalConnection physical, Kind kind, WriterGate.Ticket ticket) {
        this.engine = engine;
        this.physical = physical;
        this.kind = kind;
        this.ticket = ticket;
        this.leasedAt = kind == Kind.WRITER ? System.nanoTime() : 0;
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

    /** Reader or writer. */
    public Kind kind() {
        return kind;
    }

    /** True for a pooled reader, where a write fails with SQLITE_READONLY before it does anything. */
    public boolean isReader() {
        return kind == Kind.READER;
    }

    /** Gives the connection back; a second call does nothing. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        if (kind == Kind.READER) {
            engine.giveBack(physical);
        } else {
            engine.metrics().gateHeld(System.nanoTime() - leasedAt);
            engine.gate().release(ticket);
        }
    }

    /** Gives back a reader whose state is unknown after a failure: it is closed, not reused. */
    public void discard() {
        if (released) {
            return;
        }
        if (kind == Kind.READER) {
            released = true;
            engine.discard(physical);
        } else {
            release();
        }
    }
}
