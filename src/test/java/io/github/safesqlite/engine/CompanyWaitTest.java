package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.safesqlite.testing.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * The turns a group gives, before its COMMIT, to callers on their way back to the writer gate:
 * only while more callers are in the gate than the group holds, and never past the group's budget
 * of turns or of time.
 */
class CompanyWaitTest {

    private final ManualClock clock = new ManualClock();

    /** A queue that a caller joins after a given number of turns, as a caller on its way back does. */
    private final class Arrivals {
        final Deque<String> queue = new ArrayDeque<>();
        final AtomicInteger turns = new AtomicInteger();
        final int arrivesAfter;

        Arrivals(int arrivesAfter) {
            this.arrivesAfter = arrivesAfter;
        }

        void turn() {
            int n = turns.incrementAndGet();
            if (n > 100 * CompanyWait.MAX_YIELDS) {
                throw new AssertionError("the group never stops giving turns");
            }
            if (n == arrivesAfter) {
                queue.add("latecomer");
            }
        }

        /** A group's wait whose turns are this queue's, with the most time a group may wait. */
        CompanyWait group(int expected) {
            return new CompanyWait(this::turn, clock, CompanyWait.MAX_WAIT_NANOS, expected);
        }

        /** The next member {@code wait} finds in this queue, with {@code inGate} callers in the gate. */
        String next(CompanyWait wait, int inGate, int members) {
            return wait.next(queue::poll, () -> inGate, members);
        }
    }

    @Test
    void aGroupTakesInACallerThatQueuesWithinItsTurns() {
        Arrivals a = new Arrivals(5);
        CompanyWait wait = a.group(0);

        String next = a.next(wait, 3, 2);

        assertEquals("latecomer", next);
        assertEquals(5, a.turns.get(), "it stops yielding as soon as the caller has queued");
    }

    @Test
    void whatIsAlreadyQueuedIsTakenWithoutATurn() {
        Arrivals a = new Arrivals(Integer.MAX_VALUE);
        a.queue.add("queued");
        CompanyWait wait = a.group(0);

        assertEquals("queued", a.next(wait, 8, 1));
        assertEquals(0, a.turns.get());
    }

    @Test
    void nobodyElseInTheGateMeansNoTurnAtAll() {
        // A lone writer, or callers back in their own code: the group commits at once.
        Arrivals a = new Arrivals(1);
        CompanyWait wait = a.group(0);

        assertNull(a.next(wait, 3, 3));
        assertEquals(0, a.turns.get());
    }

    @Test
    void aGroupExpectsAsManyAsTheLastOneHeldThoughTheyAreNotBackInTheGateYet() {
        // The last group held 4; 2 callers are in the gate (both in this group); 2 are in their own code.
        Arrivals a = new Arrivals(5);
        CompanyWait wait = a.group(4);

        assertEquals("latecomer", a.next(wait, 2, 2));
        assertEquals(5, a.turns.get());
    }

    @Test
    void aGroupAsLargeAsTheLastOneWaitsForNobodyOutsideTheGate() {
        Arrivals a = new Arrivals(1);
        CompanyWait wait = a.group(3);

        assertNull(a.next(wait, 2, 3));
        assertEquals(0, a.turns.get());
    }

    @Test
    void whatTheLastGroupHeldIsNotWaitedForWithNobodyElseInTheGate() {
        // A lone writer after a busy spell, or a transaction heading the queue (the gate then says 0).
        Arrivals a = new Arrivals(1);
        CompanyWait wait = a.group(8);

        assertNull(a.next(wait, 0, 1));
        assertEquals(0, a.turns.get());
    }

    @Test
    void theTurnsAreBoundedPerGroupNotPerMember() {
        // Callers stay in the gate but never queue (a transaction at the head keeps them unclaimable).
        Arrivals a = new Arrivals(Integer.MAX_VALUE);
        CompanyWait wait = a.group(0);

        assertNull(a.next(wait, 8, 1));
        assertNull(a.next(wait, 8, 1));

        assertEquals(CompanyWait.MAX_YIELDS, a.turns.get());
    }

    @Test
    void turnsLeftOverFromOneLatecomerServeTheNext() {
        Arrivals a = new Arrivals(10);
        CompanyWait wait = a.group(0);
        assertEquals("latecomer", a.next(wait, 8, 1));

        assertNull(a.next(wait, 8, 2));

        assertEquals(CompanyWait.MAX_YIELDS, a.turns.get(), "10 for the first, the rest of the budget after it");
    }

    @Test
    void noTurnIsTakenOnceTheGroupsTimeIsUp() {
        // On busy cores one yield may last a time slice: the group stops on time, not on count.
        AtomicInteger turns = new AtomicInteger();
        CompanyWait wait = new CompanyWait(() -> {
            turns.incrementAndGet();
            clock.advanceNanos(CompanyWait.MAX_WAIT_NANOS / 2);
        }, clock, CompanyWait.MAX_WAIT_NANOS, 0);

        assertNull(wait.next(() -> null, () -> 8, 1));

        assertEquals(2, turns.get(), "two turns of half the time each use it up, long before the count");
    }

    @Test
    void theTurnsLastNoLongerThanTheLastCommitTook() {
        AtomicInteger turns = new AtomicInteger();
        CompanyWait wait = new CompanyWait(() -> {
            turns.incrementAndGet();
            clock.advanceNanos(10_000);
        }, clock, 30_000, 0);

        assertNull(wait.next(() -> null, () -> 8, 1));

        assertEquals(3, turns.get(), "three turns of 10 us fill a 30 us COMMIT");
    }

    @Test
    void aCommitThatCostsNothingIsWaitedForNotAtAll() {
        // Writes with nothing to sync (or a machine too busy to time): company is not worth a turn.
        Arrivals a = new Arrivals(1);
        CompanyWait wait = new CompanyWait(a::turn, clock, CompanyWait.WORTH_A_TURN_NANOS - 1, 0);

        assertNull(a.next(wait, 8, 1));
        assertEquals(0, a.turns.get());
    }

    @Test
    void itSaysWhenTheGroupWentOnToItsCommit() {
        CompanyWait wait = new CompanyWait(() -> { }, clock, 0, 0);
        assertEquals(0, wait.commitAt(), "not before it found nobody");

        clock.advanceNanos(5);
        assertNull(wait.next(() -> null, () -> 1, 1));

        assertEquals(clock.nanoTime(), wait.commitAt());
    }
}
