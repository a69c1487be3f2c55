package io.github.safesqlite.engine;

import io.github.safesqlite.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Before a group's COMMIT, lets callers who are already in the writer gate but not yet queued
 * (told the last group's outcome and on their way back) have a few turns of the CPU to queue their
 * next write, so that it shares this group's COMMIT (and, with {@code synchronous=FULL}, its sync)
 * instead of paying the next one. Each turn is a {@link Thread#yield()}: the holder stays runnable
 * and gives its core to the callers it waits for, who yield before they park and so are runnable
 * themselves.
 *
 * <p>A group waits for as many callers as are in the gate, or as the last group held, whichever
 * is more: a caller between one outcome and its next write is back in its own code (closing a
 * statement, taking a connection), outside the gate, yet it is on its way as much as one still in
 * it; counting only those in the gate, 8 threads of {@code synchronous=FULL} inserts committed
 * 5.7–5.9 per group, and 6.9 when the last group's size was expected too (measured reasons in
 * docs/design.md, "A group expects the company the last one had"). An expectation that fails costs
 * one group its turns and sets the next one's lower. A group with nobody else in the gate waits
 * for nobody, whatever the last group held. A group gives at most {@link #MAX_YIELDS} turns in all, and
 * takes no new turn once as long has passed as the last COMMIT took, or {@link #MAX_WAIT_NANOS}
 * (whichever is less): waiting longer than a COMMIT costs to save one does not pay, and on a
 * machine whose cores are busy with other work a yield can last a scheduler time slice
 * (docs/design.md, "A group yields for the callers on their way back").
 *
 * <p>One per group, used only by the gate's holder.
 */
final class CompanyWait {

    /**
     * Turns a group gives at most. A group's callers wake one after another, each woken by the one
     * before ({@link WakeChain}); 64 turns covered 8 of them where 16 did not (8 threads of FULL
     * inserts, alternating in one JVM: 16 gained nothing, 64 gave 8–13% more inserts, 256 and 1024 no
     * more than 64; with NORMAL, 8 and 64 turns gave the same).
     */
    static final int MAX_YIELDS = 64;
    /**
     * How long a group's turns may last in all, so that they end in bounded time on busy cores, where
     * one yield can last a scheduler time slice. 1 ms, the bound with which the turns were measured
     * (docs/design.md, "A group yields for the callers on their way back"); it was the gate's
     * starvation bound then, and stayed when that became 0.6 ms, so the group commit measured with
     * it is unchanged (a FULL COMMIT on this machine took 0.2–0.5 ms).
     */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * A COMMIT that took less than this is not worth a turn: a yield is a system call (a
     * microsecond or more here), and tasks that cost next to nothing ran 4x slower with one turn
     * per group (8 threads of empty tasks through the gate: 6.5 s against 1.7 s).
     */
    static final long WORTH_A_TURN_NANOS = 5_000;

    private final Runnable pause;
    private final Clock clock;
    private final long budgetNanos;
    private final int expected;
    private int left = MAX_YIELDS;
    private boolean turning;
    private long firstTurnAt;
    private long commitAt;

    /**
     * @param pause        one turn ({@code Thread::yield}; tests count them)
     * @param clock        the gate's clock
     * @param commitNanos  how long the last group's COMMIT took: the turns last no longer (none below
     *                     {@link #WORTH_A_TURN_NANOS})
     * @param expected     how many writes the last group committed together (0: none yet)
     */
    CompanyWait(Runnable pause, Clock clock, long commitNanos, int expected) {
        this.pause = pause;
        this.clock = clock;
        this.budgetNanos = commitNanos < WORTH_A_TURN_NANOS ? 0 : Math.min(MAX_WAIT_NANOS, commitNanos);
        this.expected = expected;
    }

    /**
     * The next member for the group: what {@code claim} hands over now, or after some turns while
     * the group ({@code members}) holds fewer than the callers in the gate ({@code callersInGate}:
     * 0 when nobody may be waited for) or than the last group held; null when none came within this
     * group's turns.
     */
    <T> T next(Supplier<T> claim, IntSupplier callersInGate, int members) {
        T next = claim.get();
        while (next == null && left > 0 && moreToCome(callersInGate.getAsInt(), members) && !overTime()) {
            left--;
            pause.run();
            next = claim.get();
        }
        if (next == null) {
            commitAt = clock.nanoTime(); // none: the group goes on to its COMMIT
        }
        return next;
    }

    /** When the group went on to its COMMIT (the last {@link #next} that found none); 0 if it never did. */
    long commitAt() {
        return commitAt;
    }

    /** Whether company is still to come to a group of {@code members}, with {@code inGate} callers in the gate. */
    private boolean moreToCome(int inGate, int members) {
        return inGate > members || (inGate > 0 && expected > members);
    }

    private boolean overTime() {
        long now = clock.nanoTime();
        if (!turning) {
            turning = true;
            firstTurnAt = now;
        }
        return now - firstTurnAt >= budgetNanos;
    }
}
