package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.ManualClock;
import io.github.safesqlite.testing.TestThreads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The writer gate on real threads: order, time-outs, interrupts, self-deadlock and leaks. Time is
 * a {@link ManualClock}, so time-outs, hold times and leak thresholds are exact, not raced.
 */
class WriterGateTest {

    private final ManualClock clock = new ManualClock();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final SafeSqliteListener recorder = new SafeSqliteListener() {
        @Override
        public void gateWaited(String database, long nanos) {
            events.add("waited " + nanos);
        }

        @Override
        public void gateHeld(String database, long nanos) {
            events.add("held " + nanos);
        }
    };
    private final WriterGate gate = new WriterGate("test.db", 0, clock, recorder);
    private final TestThreads threads = new TestThreads();

    @Test
    void waitersAreAdmittedInArrivalOrder() throws Exception {
        WriterGate.Ticket first = gate.acquire("holder", 1_000);
        List<Integer> admitted = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            int n = i;
            threads.start("waiter-" + n, () -> {
                WriterGate.Ticket ticket = gate.acquire("waiter-" + n, 10_000);
                admitted.add(n);
                gate.release(ticket);
            });
            // Each waiter is queued before the next one starts.
            awaitQueued(i + 1);
        }
        gate.release(first);
        threads.joinAll();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), admitted);
    }

    /**
     * Bounded fairness: a newcomer may take the free gate in front of a waiter only during the
     * waiter's first STARVING_NANOS (0.6 ms). Past it, the waiter is next, whoever arrives.
     */
    @Test
    void nobodyOvertakesAWaiterThatHasWaitedItsTime() throws Exception {
        WriterGate.Ticket first = gate.acquire("holder", 1_000);
        CountDownLatch mayGo = new CountDownLatch(1);
        threads.start("waiter", () -> {
            WriterGate.Ticket t = gate.acquire("waiter", 10_000);
            mayGo.await();
            gate.release(t);
        });
        awaitQueued(1);
        assertTrue(gate.mayBarge(clock.nanoTime()), "a young waiter may be overtaken");
        clock.advanceNanos(WriterGate.STARVING_NANOS); // the waiter starves
        assertFalse(gate.mayBarge(clock.nanoTime()), "nobody arriving now may take the gate in front of it");
        gate.release(first);
        assertEquals("waiter", gate.holderThread(), "handed over by the release itself, not left to a race");
        mayGo.countDown();
        threads.joinAll();
    }

    /**
     * A waiter's time counts from when it reached the head of the queue, not from its arrival:
     * behind a long queue every waiter has waited longer, and counting from arrival would make
     * every release a hand-off, one context switch per transaction with the writer idle meanwhile.
     */
    @Test
    void theTimeCountsFromTheHeadOfTheQueue() throws Exception {
        WriterGate.Ticket first = gate.acquire("holder", 1_000);
        CountDownLatch mayGo = new CountDownLatch(1);
        List<String> admitted = Collections.synchronizedList(new ArrayList<>());
        List<String> names = List.of("second", "third");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            threads.start(name, () -> {
                WriterGate.Ticket t = gate.acquire(name, 10_000);
                admitted.add(name);
                mayGo.await();
                gate.release(t);
            });
            awaitQueued(i + 1);
        }
        clock.advanceNanos(WriterGate.STARVING_NANOS);
        assertFalse(gate.mayBarge(clock.nanoTime()), "the head has waited its time at the head");
        gate.release(first);
        assertEquals("second", gate.holderThread(), "a starving head is handed the gate");
        assertTrue(gate.mayBarge(clock.nanoTime()),
                "'third' waited as long, but has been the head only since the hand-off");
        clock.advanceNanos(WriterGate.STARVING_NANOS);
        assertFalse(gate.mayBarge(clock.nanoTime()), "now 'third' has been the head as long");
        mayGo.countDown();
        threads.joinAll();
        assertEquals(List.of("second", "third"), admitted);
    }

    /**
     * The head of the queue sleeps until shortly before it starves, then yields its core instead, so
     * that the hand-off finds it running rather than paying a wake-up while the writer idles; once
     * that time is over it sleeps again, to be woken by the hand-off. It never spins earlier, where it
     * would only take a core from the holder.
     */
    @Test
    void theHeadIsAwakeWhenTheGateIsDueToComeToIt() throws Exception {
        WriterGate.Ticket first = gate.acquire("holder", 1_000);
        CountDownLatch admitted = new CountDownLatch(1);
        Thread waiter = threads.start("waiter", () -> {
            WriterGate.Ticket t = gate.acquire("waiter", 600_000);
            admitted.countDown();
            gate.release(t);
        });
        awaitQueued(1);
        String gateClass = WriterGate.class.getName();
        Await.until("the head asleep until shortly before it starves", () -> waiter.getState() == Thread.State.TIMED_WAITING
                && Await.isInFrame(waiter, gateClass, "waitedAsHead"));
        clock.advanceNanos(WriterGate.STARVING_NANOS - WriterGate.HEAD_AWAKE_NANOS);
        Await.inFrame(waiter, Thread.class.getName(), "yield");
        clock.advanceNanos(2 * WriterGate.HEAD_AWAKE_NANOS);
        Await.until("the head asleep again, for the hand-off to wake", () -> waiter.getState() == Thread.State.TIMED_WAITING
                && Await.isInFrame(waiter, gateClass, "await") && !Await.isInFrame(waiter, gateClass, "waitedAsHead"));
        assertEquals(1, admitted.getCount(), "still waiting: nobody released the gate");
        gate.release(first);
        admitted.await();
        threads.joinAll();
        assertEquals(0, gate.queued());
    }

    /** The releasing thread may take the gate back at once while the waiter it woke is young, and then hand it on. */
    @Test
    void aYoungWaiterWokenAtARelease() throws Exception {
        WriterGate.Ticket first = gate.acquire("holder", 1_000);
        CountDownLatch admitted = new CountDownLatch(1);
        threads.start("waiter", () -> {
            WriterGate.Ticket t = gate.acquire("waiter", 10_000);
            admitted.countDown();
            gate.release(t);
        });
        awaitQueued(1);
        gate.release(first);
        // Whether this barges in or queues behind the woken waiter, both get the gate, once each.
        WriterGate.Ticket again = gate.acquire("holder", 10_000);
        gate.release(again);
        admitted.await();
        threads.joinAll();
        assertEquals(null, gate.holderThread(), "free at the end");
        assertEquals(0, gate.queued());
    }

    @Test
    void queuedTasksRunInArrivalOrderAndEachCallerGetsItsOwnOutcome() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            int n = i;
            threads.start("t" + n, () -> {
                try {
                    int r = gate.run("task-" + n, 10_000, () -> {
                        ran.add(n);
                        if (n % 2 == 1) {
                            throw new SQLException("task " + n + " failed");
                        }
                        return n * 10;
                    });
                    outcomes.add(n + "=" + r + (Thread.currentThread().getName().equals("t" + n) ? "" : "?"));
                } catch (SQLException e) {
                    outcomes.add(n + "!" + e.getMessage());
                }
            });
            awaitQueued(i + 1);
        }
        gate.release(held);
        threads.joinAll();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), ran, "run once each, in arrival order");
        assertEquals(List.of("0=0", "1!task 1 failed", "2=20", "3!task 3 failed", "4=40", "5!task 5 failed"),
                outcomes.stream().sorted().toList());
        gate.release(gate.acquire("after", 1_000));
    }

    @Test
    void everyCallerOfALargeGroupIsWokenWithItsOwnOutcome() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        gate.groupWith(new RecordedTransaction(log));
        // No net under a missed wake (and a time-out past the threads' join): a caller the group's
        // wake-up tree forgot would still be parked when the join gives up, and fail the test.
        gate.parkNetNanos(Long.MAX_VALUE);
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        int callers = 13; // a holder and twelve members: the tree is three levels deep
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < callers; i++) {
            int n = i;
            threads.start("w" + n, () -> {
                int r = gate.run("writer-" + n, 3_600_000, true, () -> {
                    log.add("w" + n);
                    return n * 10;
                });
                outcomes.add(n + "=" + r);
            });
            awaitQueued(i + 1);
        }
        gate.release(held);
        threads.joinAll();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            expected.add(i + "=" + i * 10);
        }
        assertEquals(expected.stream().sorted().toList(), outcomes.stream().sorted().toList(),
                "every caller returned, with its own result");
        assertEquals(1, Collections.frequency(log, "COMMIT"), "one group, one COMMIT: " + log);
        assertEquals("BEGIN", log.get(0));
    }

    /**
     * A writer that finds no task it can take with it, while another writer's caller is still in the
     * gate, opens a group anyway, so that the other's write joins its COMMIT instead of paying one of
     * its own. Here the other write waits behind a transaction, which leaves the queue (interrupted)
     * while the first write runs.
     */
    @Test
    void aWriterWhoseCompanyIsOnItsWayOpensAGroupThatItJoins() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        gate.groupWith(new RecordedTransaction(log));
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        AtomicReference<Thread> transaction = new AtomicReference<>();
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        threads.start("first", () -> outcomes.add("first=" + gate.run("first", 10_000, true, () -> {
            log.add("first");
            transaction.get().interrupt();
            Await.until("the transaction left the queue", () -> gate.queued() == 1);
            return 1;
        })));
        awaitQueued(1);
        transaction.set(threads.start("transaction", () -> {
            SQLException e = assertThrows(SQLException.class, () -> gate.acquire("transaction", 10_000));
            outcomes.add("transaction " + e.getSQLState());
        }));
        awaitQueued(2);
        threads.start("second", () -> outcomes.add("second=" + gate.run("second", 10_000, true, () -> {
            log.add("second");
            return 2;
        })));
        awaitQueued(3);
        gate.release(held);
        threads.joinAll();
        assertEquals(List.of("first=1", "second=2", "transaction 57014"), outcomes.stream().sorted().toList());
        assertEquals(List.of("BEGIN", "first", "second", "COMMIT"), log,
                "the second write joined the group the first one opened");
    }

    /**
     * A group gives a few turns to as many writers as the last group held, though one of them is
     * back in its own code, outside the gate, when the group would commit: its next write, made
     * during a turn, joins this COMMIT instead of paying one of its own.
     */
    @Test
    void aGroupWaitsForTheCompanyTheLastOneHadThoughItIsNotInTheGate() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        // A COMMIT worth waiting for: 500 us on the test's clock.
        gate.groupWith(new RecordedTransaction(log, () -> clock.advanceNanos(500_000)));
        CountDownLatch firstWritten = new CountDownLatch(3);
        CountDownLatch roundTwo = new CountDownLatch(1);
        CountDownLatch cWritesAgain = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger turns = new java.util.concurrent.atomic.AtomicInteger();
        gate.pauseForCompany(() -> {
            turns.incrementAndGet();
            cWritesAgain.countDown();
            Await.until("c's second write queued", () -> gate.queued() == 2); // b, told nothing yet, and c
        });
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        for (String name : List.of("a", "b", "c")) {
            CountDownLatch before = name.equals("c") ? cWritesAgain : roundTwo;
            threads.start(name, () -> {
                gate.run(name, 10_000, true, () -> log.add(name + "1"));
                firstWritten.countDown();
                before.await();
                gate.run(name, 10_000, true, () -> log.add(name + "2"));
            });
            awaitQueued(List.of("a", "b", "c").indexOf(name) + 1);
        }
        gate.release(held);
        Await.until("all three were told their first outcome", () -> firstWritten.getCount() == 0);
        assertEquals(List.of("BEGIN", "a1", "b1", "c1", "COMMIT"), List.copyOf(log));

        held = gate.acquire("holder", 10_000);
        roundTwo.countDown();
        awaitQueued(2); // a and b; c is in its own code, waiting for its latch
        gate.release(held);
        // A copy: the group's thread appends while this looks, and a synchronized list's stream is not locked.
        Await.until("the second group committed", () -> List.copyOf(log).stream().filter("COMMIT"::equals).count() == 2);
        cWritesAgain.countDown(); // without the turn c writes only now, alone
        threads.joinAll();

        List<String> second = List.copyOf(log.subList(5, log.size()));
        assertEquals(List.of("BEGIN", "c2", "COMMIT"), List.of(second.get(0), second.get(3), second.get(4)),
                "c's write, made during the turn, joined the group of a and b: " + second);
        assertEquals(java.util.Set.of("a2", "b2"), java.util.Set.copyOf(second.subList(1, 3)));
        assertEquals(1, turns.get(), "one turn; then the group held as many as the last one and committed");
    }

    /**
     * Several tasks handed in at once (the asynchronous writer's batch) queue as that many tickets in
     * arrival order: a holder claims them with the other groupable tasks around them, each keeps its
     * own outcome, and the callers whose wake-up the batch's thread passes on are all woken.
     */
    @Test
    void aBatchWaitsInLineAndJoinsTheGroupAroundItWithEachTasksOwnOutcome() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        gate.groupWith(new RecordedTransaction(log));
        gate.parkNetNanos(Long.MAX_VALUE); // a forgotten wake-up hangs the join below instead of hiding
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        threads.start("w1", () -> outcomes.add("w1=" + gate.run("w1", 3_600_000, true, () -> log.add("w1"))));
        awaitQueued(1);
        AtomicReference<List<WriterGate.Ticket>> batch = new AtomicReference<>();
        threads.start("batch", () -> batch.set(gate.runAll("batch", 3_600_000, List.<WriterGate.Task<?>>of(
                () -> log.add("a") ? "a" : "?",
                () -> {
                    log.add("b");
                    throw new SQLException("b failed");
                },
                () -> log.add("c") ? "c" : "?"))));
        awaitQueued(4);
        threads.start("w2", () -> outcomes.add("w2=" + gate.run("w2", 3_600_000, true, () -> log.add("w2"))));
        awaitQueued(5);
        threads.start("transaction", () -> {
            WriterGate.Ticket t = gate.acquire("transaction", 3_600_000);
            log.add("transaction");
            gate.release(t);
        });
        awaitQueued(6);
        threads.start("w3", () -> outcomes.add("w3=" + gate.run("w3", 3_600_000, true, () -> log.add("w3"))));
        awaitQueued(7);
        gate.release(held);
        threads.joinAll();
        assertEquals(List.of("BEGIN", "w1", "a", "b", "c", "w2", "COMMIT", "transaction"), log.subList(0, 8));
        // w3 alone, or in a group of its own opened for callers still on their way out of the gate.
        assertTrue(List.of(List.of("w3"), List.of("BEGIN", "w3", "COMMIT")).contains(log.subList(8, log.size())),
                log.toString());
        List<WriterGate.Ticket> tickets = batch.get();
        assertEquals("a", tickets.get(0).result());
        assertEquals("b failed", tickets.get(1).failure().getMessage());
        assertEquals("c", tickets.get(2).result());
        assertEquals(List.of("w1=true", "w2=true", "w3=true"), outcomes.stream().sorted().toList());
    }

    @Test
    void aBatchThatFindsTheGateFreeRunsOnItsOwnThreadAsOneGroup() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        gate.groupWith(new RecordedTransaction(log));
        Thread me = Thread.currentThread();
        List<WriterGate.Task<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            tasks.add(() -> {
                log.add("t" + n + (Thread.currentThread() == me ? "" : " elsewhere"));
                return n;
            });
        }
        List<WriterGate.Ticket> tickets = gate.runAll("batch", 1_000, tasks);
        assertEquals(List.of("BEGIN", "t0", "t1", "t2", "t3", "t4", "COMMIT"), log);
        for (int i = 0; i < 5; i++) {
            assertEquals(i, tickets.get(i).result());
        }
        assertEquals(null, gate.holderThread(), "the gate is free again");
    }

    @Test
    void aBatchThatWaitsPastItsTimeOutRunsNothingAndSaysSoForEachTask() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<List<WriterGate.Ticket>> batch = new AtomicReference<>();
        threads.start("batch", () -> batch.set(gate.runAll("batch", 1_000, List.<WriterGate.Task<?>>of(
                () -> ran.add("a"), () -> ran.add("b"), () -> ran.add("c")))));
        awaitQueued(3);
        clock.advanceNanos(java.util.concurrent.TimeUnit.SECONDS.toNanos(2));
        threads.joinAll();
        for (WriterGate.Ticket t : batch.get()) {
            assertTrue(t.failure() instanceof SQLTimeoutException, String.valueOf(t.failure()));
        }
        assertEquals(List.of(), ran);
        assertEquals(0, gate.queued());
        gate.release(held);
        gate.release(gate.acquire("after", 1_000));
    }

    /**
     * A release could find a queued task that a group had already run and returned, and install it
     * as the gate's owner for an instant before seeing it was no longer waiting; its caller, writing
     * again at that instant, was refused with "would deadlock" (found by a benchmark of empty writes).
     */
    @Test
    void aCallerWritingBackToBackIsNeverTakenForItsEarlierWrite() throws Exception {
        WriterGate busy = new WriterGate("busy.db", 0, io.github.safesqlite.time.Clock.SYSTEM, new SafeSqliteListener() { });
        busy.groupWith(new RecordedTransaction(null));
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        int writers = 8;
        int writes = 300_000;
        for (int t = 0; t < writers; t++) {
            Object holder = "writer-" + t;
            threads.start("writer-" + t, () -> {
                for (int i = 0; i < writes; i++) {
                    busy.run(holder, 60_000, true, () -> done.incrementAndGet());
                }
            });
        }
        threads.joinAll();
        assertEquals((long) writers * writes, done.get());
    }

    @Test
    void aTransactionQueuedBetweenTasksKeepsItsPlace() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        threads.start("first", () -> gate.run("first", 10_000, () -> order.add("first")));
        awaitQueued(1);
        threads.start("transaction", () -> {
            WriterGate.Ticket t = gate.acquire("transaction", 10_000);
            order.add("transaction");
            order.add("transaction end");
            gate.release(t);
        });
        awaitQueued(2);
        threads.start("last", () -> gate.run("last", 10_000, () -> order.add("last")));
        awaitQueued(3);
        gate.release(held);
        threads.joinAll();
        assertEquals(List.of("first", "transaction", "transaction end", "last"), order);
    }

    @Test
    void anInterruptedTaskWaiterNeverRuns() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = threads.start("waiter", () -> {
            try {
                gate.run("waiter", 30_000, () -> ran.add("should not run"));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        awaitQueued(1);
        waiter.interrupt();
        threads.joinAll();
        gate.release(held);
        gate.release(gate.acquire("next", 1_000));
        assertTrue(ran.isEmpty(), "the task never ran");
        assertTrue(failure.get() instanceof SQLException && failure.get().getMessage().contains("interrupted"),
                String.valueOf(failure.get()));
    }

    @Test
    void timeoutNamesTheWaitTheHolderAndHowLongItHeld() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        threads.start("the-holder", () -> {
            WriterGate.Ticket t = gate.acquire("connection-A", 1_000);
            held.countDown();
            done.await();
            gate.release(t);
        });
        held.await();
        // Once the waiter is queued, 150 ms pass on the gate's clock, and 400 ms for the holder in all.
        clock.advanceMillis(250);
        threads.start("clock", () -> {
            Await.until("the waiter queued", () -> gate.queued() == 1);
            clock.advanceMillis(150);
        });
        SQLTimeoutException e = assertThrows(SQLTimeoutException.class, () -> gate.acquire("connection-B", 150));
        assertTrue(e.getMessage().startsWith("waited 150 ms for the writer of test.db"), e.getMessage());
        assertTrue(e.getMessage().contains("held by thread 'the-holder' (connection-A) for 400 ms"), e.getMessage());
        assertTrue(e.getMessage().contains("gate_timeout"), e.getMessage());
        done.countDown();
        threads.joinAll();
        gate.release(gate.acquire("after", 1_000)); // the gate still works after a time-out
    }

    @Test
    void waitsAndHoldsAreMeasuredOnceEachByTheGate() throws Exception {
        WriterGate.Ticket t = gate.acquire("a", 1_000);
        clock.advanceMillis(7);
        gate.release(t);
        assertEquals(List.of("waited 0", "held 7000000"), events);
        events.clear();
        Integer r = gate.run("task", 1_000, () -> {
            clock.advanceMillis(3);
            return 1;
        });
        assertEquals(1, r);
        assertEquals(List.of("waited 0", "held 3000000"), events, "a task's hold is its own run, timed once");
    }

    @Test
    void aListenerThatThrowsNeverWedgesTheGate() throws Exception {
        WriterGate throwing = new WriterGate("test.db", 0, clock, io.github.safesqlite.metrics.Listeners.of(List.of(
                new SafeSqliteListener() {
                    @Override
                    public void gateHeld(String database, long nanos) {
                        throw new IllegalStateException("listener bug");
                    }
                })));
        throwing.release(throwing.acquire("a", 1_000));
        assertEquals(1, throwing.run("b", 1_000, () -> 1));
        throwing.release(throwing.acquire("c", 1_000)); // still free
        assertEquals(null, throwing.holderThread());
    }

    @Test
    void anErrorBetweenHandOffAndUseLeavesTheGateFree() throws Exception {
        boolean[] fail = {true};
        WriterGate fragile = new WriterGate("test.db", 0, clock, new SafeSqliteListener() {
            @Override
            public void gateWaited(String database, long nanos) {
                if (fail[0]) {
                    throw new OutOfMemoryError("simulated: the thread dies right after the hand-off");
                }
            }
        });
        assertThrows(OutOfMemoryError.class, () -> fragile.acquire("a", 1_000));
        assertThrows(OutOfMemoryError.class, () -> fragile.run("b", 1_000, () -> 1));
        fail[0] = false;
        assertEquals(null, fragile.holderThread(), "nobody holds it");
        fragile.release(fragile.acquire("c", 1_000)); // and it can be taken at once
    }

    @Test
    void interruptedWaiterFailsKeepsItsFlagAndLosesNothing() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = threads.start("waiter", () -> {
            try {
                gate.acquire("waiter", 30_000);
            } catch (Throwable e) {
                failure.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitQueued(1);
        waiter.interrupt();
        threads.joinAll();
        assertFalse(waiter.isAlive(), "the interrupted waiter returned");
        assertTrue(failure.get() instanceof SQLException, String.valueOf(failure.get()));
        assertTrue(failure.get().getMessage().contains("interrupted"), failure.get().getMessage());
        assertTrue(flag.get(), "interrupt flag kept");
        assertEquals(0, gate.queued());
        gate.release(held);
        gate.release(gate.acquire("next", 1_000)); // not lost, not double-held
    }

    @Test
    void releasingTwiceIsRefused() throws Exception {
        WriterGate.Ticket t = gate.acquire("a", 1_000);
        gate.release(t);
        assertThrows(IllegalStateException.class, () -> gate.release(t));
        WriterGate.Ticket again = gate.acquire("b", 1_000);
        assertThrows(IllegalStateException.class, () -> gate.release(t));
        gate.release(again);
    }

    @Test
    void sameThreadThroughAnotherHolderFailsAtOnceInsteadOfHanging() throws Exception {
        WriterGate.Ticket t = gate.acquire("connection-A", 1_000);
        // The clock never moves: a wait for the time-out could never end, so this returns only by failing at once.
        SQLException e = assertThrows(SQLException.class, () -> gate.acquire("connection-B", 60_000));
        assertTrue(e.getMessage().startsWith("would deadlock"), e.getMessage());
        assertTrue(e.getMessage().contains("connection-A") && e.getMessage().contains("connection-B"), e.getMessage());
        gate.release(t);
    }

    @Test
    void gateHeldPastTheLeakThresholdIsLoggedWithWhereItWasTaken() throws Exception {
        WriterGate leaky = new WriterGate("leaky.db", 50, clock, recorder);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            WriterGate.Ticket t = takeTheGateHere(leaky);
            clock.advanceMillis(50);
            leaky.checkForLeak();
            assertEquals("", captured.toString(StandardCharsets.UTF_8), "not yet past the threshold");
            clock.advanceMillis(1);
            leaky.checkForLeak();
            leaky.checkForLeak(); // reported once per holding
            leaky.release(t);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("writer gate of leaky.db held for 51 ms"), log);
        assertTrue(log.contains("takeTheGateHere"), "the stack shows where the gate was taken: " + log);
        assertEquals(log.indexOf("held for"), log.lastIndexOf("held for"), "warned once");
    }

    private static WriterGate.Ticket takeTheGateHere(WriterGate g) throws SQLException {
        return g.acquire("leaker", 1_000);
    }

    private void awaitQueued(int n) {
        Await.until(n + " waiter(s) queued", () -> gate.queued() >= n);
    }
}
