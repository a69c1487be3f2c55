package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A chain of wake-ups with real parked threads: they park without a time-out, so a wake-up the
 * chain fails to make leaves its thread parked and the test's bounded wait fails.
 */
class WakeChainTest {

    /** Threads that park until {@code done} is set and a wake-up reaches them, then pass the chain on. */
    private static final class Parked {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicInteger parked = new AtomicInteger();
        final AtomicInteger returned = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        volatile WakeChain chain;

        Parked(int n, boolean passOn) {
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    parked.incrementAndGet();
                    while (!done.get()) {
                        LockSupport.park(this);
                    }
                    if (passOn) {
                        chain.wakeNext();
                    }
                    returned.incrementAndGet();
                }, "chained-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        /** Waits until every thread is parked in its loop, so that only an unpark can end its wait. */
        void awaitParked() {
            Await.until("every thread parked", () -> parked.get() == threads.size()
                    && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        }
    }

    @Test
    void oneWakeUpFromThePublisherReachesEveryThreadThroughTheOthers() {
        Parked p = new Parked(8, true);
        p.awaitParked();
        p.chain = new WakeChain(p.threads);
        p.done.set(true);
        p.chain.wakeNext(); // the publisher's only wake-up

        Await.until("all eight woken", () -> p.returned.get() == 8);
    }

    @Test
    void aThreadThatDoesNotPassTheChainOnLeavesTheRestToWakeRest() throws InterruptedException {
        Parked live = new Parked(3, true);
        Parked gone = new Parked(1, false); // a waiter that leaves without passing the chain on
        live.awaitParked();
        gone.awaitParked();
        List<Thread> order = new ArrayList<>(gone.threads);
        order.addAll(live.threads);
        WakeChain chain = new WakeChain(order);
        live.chain = chain;
        live.done.set(true);
        gone.done.set(true);

        chain.wakeNext(); // reaches only the one that does not pass it on
        Await.until("the first link returned", () -> gone.returned.get() == 1);
        assertEquals(0, live.returned.get(), "nobody passed the chain on, so the rest are still parked");

        chain.wakeRest();
        Await.until("the rest woken", () -> live.returned.get() == 3);
    }

    @Test
    void wakingPastTheEndAndWakingTheRestTwiceWakeNobodyExtra() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        Thread t = new Thread(() -> {
            started.countDown();
            while (!done.get()) {
                LockSupport.park(this);
            }
        });
        t.setDaemon(true);
        t.start();
        assertTrue(started.await(60, TimeUnit.SECONDS));
        WakeChain chain = new WakeChain(List.of(t));
        done.set(true);
        chain.wakeRest();
        chain.wakeRest();
        chain.wakeNext(); // past the end: nothing to wake, nothing thrown
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(Thread.State.TERMINATED, t.getState());
    }
}
