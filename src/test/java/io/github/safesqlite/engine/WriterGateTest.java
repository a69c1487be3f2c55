package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The writer gate on real threads: order, time-outs, interrupts, self-deadlock and leaks. */
class WriterGateTest {

    private final WriterGate gate = new WriterGate("test.db", 0);

    @Test
    void waitersAreAdmittedInArrivalOrder() throws Exception {
        WriterGate.Ticket first = gate.acquire("holder", 1_000);
        List<Integer> admitted = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    WriterGate.Ticket ticket = gate.acquire("waiter-" + n, 10_000);
                    admitted.add(n);
                    gate.release(ticket);
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            });
            threads.add(t);
            t.start();
            // Each waiter is queued before the next one starts.
            awaitQueued(i + 1);
        }
        gate.release(first);
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5), admitted);
    }

    @Test
    void queuedTasksRunInArrivalOrderAndEachCallerGetsItsOwnOutcome() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            Thread t = new Thread(() -> {
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
            }, "t" + n);
            threads.add(t);
            t.start();
            awaitQueued(i + 1);
        }
        gate.release(held);
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5), ran, "run once each, in arrival order");
        assertEquals(List.of("0=0", "1!task 1 failed", "2=20", "3!task 3 failed", "4=40", "5!task 5 failed"),
                outcomes.stream().sorted().toList());
        gate.release(gate.acquire("after", 1_000));
    }

    @Test
    void aTransactionQueuedBetweenTasksKeepsItsPlace() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Thread first = new Thread(() -> runTask("first", order));
        first.start();
        awaitQueued(1);
        Thread tx = new Thread(() -> {
            try {
                WriterGate.Ticket t = gate.acquire("transaction", 10_000);
                order.add("transaction");
                Thread.sleep(20);
                order.add("transaction end");
                gate.release(t);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        tx.start();
        awaitQueued(2);
        Thread last = new Thread(() -> runTask("last", order));
        last.start();
        awaitQueued(3);
        gate.release(held);
        for (Thread t : List.of(first, tx, last)) {
            t.join(10_000);
        }
        assertEquals(List.of("first", "transaction", "transaction end", "last"), order);
    }

    private void runTask(String name, List<String> order) {
        try {
            gate.run(name, 10_000, () -> order.add(name));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anInterruptedTaskWaiterNeverRuns() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                gate.run("waiter", 30_000, () -> ran.add("should not run"));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        waiter.start();
        awaitQueued(1);
        waiter.interrupt();
        waiter.join(5_000);
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
        Thread holder = new Thread(() -> {
            try {
                WriterGate.Ticket t = gate.acquire("connection-A", 1_000);
                held.countDown();
                done.await();
                gate.release(t);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the-holder");
        holder.start();
        held.await();
        SQLTimeoutException e = assertThrows(SQLTimeoutException.class, () -> gate.acquire("connection-B", 150));
        assertTrue(e.getMessage().matches("(?s)waited 1[5-9]\\d ms for the writer of test.db.*"), e.getMessage());
        assertTrue(e.getMessage().contains("held by thread 'the-holder' (connection-A) for"), e.getMessage());
        assertTrue(e.getMessage().contains("gate_timeout"), e.getMessage());
        done.countDown();
        holder.join();
        gate.release(gate.acquire("after", 1_000)); // the gate still works after a time-out
    }

    @Test
    void interruptedWaiterFailsKeepsItsFlagAndLosesNothing() throws Exception {
        WriterGate.Ticket held = gate.acquire("holder", 1_000);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                gate.acquire("waiter", 30_000);
            } catch (Throwable e) {
                failure.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        awaitQueued(1);
        waiter.interrupt();
        waiter.join(5_000);
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
        long start = System.nanoTime();
        SQLException e = assertThrows(SQLException.class, () -> gate.acquire("connection-B", 60_000));
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "failed without waiting for the time-out");
        assertTrue(e.getMessage().startsWith("would deadlock"), e.getMessage());
        assertTrue(e.getMessage().contains("connection-A") && e.getMessage().contains("connection-B"), e.getMessage());
        gate.release(t);
    }

    @Test
    void gateHeldPastTheLeakThresholdIsLoggedWithWhereItWasTaken() throws Exception {
        WriterGate leaky = new WriterGate("leaky.db", 50);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            WriterGate.Ticket t = takeTheGateHere(leaky);
            leaky.checkForLeak();
            assertEquals("", captured.toString(StandardCharsets.UTF_8), "not yet past the threshold");
            Thread.sleep(80);
            leaky.checkForLeak();
            leaky.checkForLeak(); // reported once per holding
            leaky.release(t);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("writer gate of leaky.db held for"), log);
        assertTrue(log.contains("takeTheGateHere"), "the stack shows where the gate was taken: " + log);
        assertEquals(log.indexOf("held for"), log.lastIndexOf("held for"), "warned once");
    }

    private static WriterGate.Ticket takeTheGateHere(WriterGate g) throws SQLException {
        return g.acquire("leaker", 1_000);
    }

    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (gate.queued() < n) {
            assertTrue(System.nanoTime() < deadline, "waiters did not queue");
            Thread.sleep(1);
        }
        assertNotNull(gate);
    }
}
