package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.CommandThread;
import io.github.safesqlite.time.Clock;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The writer gate against a model, on real threads. Four worker threads ask for the gate (a
 * transaction's {@code acquire}), hand in tasks (an autocommit write's {@code run}), release it,
 * or are interrupted while they wait, in random orders; the model is a FIFO queue and an owner.
 * After each step the test waits until the gate has settled (every worker has either been
 * admitted, finished, or is counted as queued) and then checks that the admissions happened in
 * exactly the model's order, that the holder is the model's owner and that the queue has the
 * model's length.
 *
 * <p>Why a jqwik action chain with real threads rather than Lincheck or jcstress: the gate's
 * promises are about order and hand-off between parked threads over many steps (FIFO, tasks run
 * by the holder for the waiters, an interrupt leaving the queue intact), which a chain of steps
 * against a model states directly; Lincheck's Java API would add Kotlin to the test class path,
 * and jcstress its own harness and build, for races the gate already keeps behind CAS-only state
 * transitions.
 */
class GateModelProperties {

    static final int WORKERS = 4;

    @Property(tries = 40)
    void theGateAdmitsInArrivalOrder(@ForAll("chains") ActionChain<GateSystem> chain) {
        chain.withInvariant("gate matches the model", GateSystem::matchesModel).run();
        chain.finalState().ifPresent(GateSystem::close);
    }

    @Provide
    Arbitrary<ActionChain<GateSystem>> chains() {
        return ActionChain.startWith(GateSystem::new)
                .withAction(new Ask(Kind.ACQUIRE))
                .withAction(new Ask(Kind.TASK))
                .withAction(new Ask(Kind.BATCH))
                .withAction(new Release())
                .withAction(new Interrupt())
                .withMaxTransformations(30);
    }

    /** What a worker asks the gate for. */
    enum Kind {
        /** To hold it ({@code acquire}). */
        ACQUIRE(" acquires"),
        /** To have a task run under it ({@code run}). */
        TASK(" runs a task"),
        /** To have two tasks run under it, handed in at once ({@code runAll}). */
        BATCH(" runs a batch of two");

        final String described;

        Kind(String described) {
            this.described = described;
        }
    }

    /** An idle worker asks for the gate. */
    record Ask(Kind kind) implements Action.Dependent<GateSystem> {
        @Override
        public boolean precondition(GateSystem s) {
            return !s.idleWorkers().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<GateSystem>> transformer(GateSystem s) {
            return Arbitraries.of(s.idleWorkers()).map(k -> Transformer.mutate("w" + k + kind.described,
                    sys -> sys.ask(k, kind)));
        }
    }

    /** The holder releases the gate. */
    record Release() implements Action.Dependent<GateSystem> {
        @Override
        public boolean precondition(GateSystem s) {
            return s.owner != null;
        }

        @Override
        public Arbitrary<Transformer<GateSystem>> transformer(GateSystem s) {
            return Arbitraries.just(Transformer.mutate("w" + s.owner + " releases", GateSystem::release));
        }
    }

    /** A waiting worker is interrupted. */
    record Interrupt() implements Action.Dependent<GateSystem> {
        @Override
        public boolean precondition(GateSystem s) {
            return s.queue.stream().anyMatch(r -> r.batch == null);
        }

        @Override
        public Arbitrary<Transformer<GateSystem>> transformer(GateSystem s) {
            // A batch's interrupted tickets fail one by one and runAll returns (AsyncWriterTest covers that).
            List<Integer> waiting = s.queue.stream().filter(r -> r.batch == null).map(r -> r.worker).toList();
            return Arbitraries.of(waiting).map(k -> Transformer.mutate("w" + k + " is interrupted",
                    sys -> sys.interrupt(k)));
        }
    }

    /** A request in the model's queue; {@code batch} names a batch's task, null for a lone request. */
    record Request(int worker, boolean task, String batch) {
        String admission() {
            return batch != null ? batch : (task ? "task w" : "grant w") + worker;
        }
    }

    /** The gate, its worker threads, and the model they are held to. */
    static final class GateSystem {
        final WriterGate gate = new WriterGate("model.db", 0, Clock.SYSTEM, new SafeSqliteListener() { });
        final CommandThread[] workers = new CommandThread[WORKERS];
        final WriterGate.Ticket[] tickets = new WriterGate.Ticket[WORKERS];
        final List<String> admitted = Collections.synchronizedList(new ArrayList<>());
        // the model
        Integer owner;
        final ArrayDeque<Request> queue = new ArrayDeque<>();
        final List<String> expected = new ArrayList<>();
        final boolean[] busy = new boolean[WORKERS];

        GateSystem() {
            for (int k = 0; k < WORKERS; k++) {
                workers[k] = new CommandThread("w" + k);
            }
        }

        List<Integer> idleWorkers() {
            List<Integer> idle = new ArrayList<>();
            for (int k = 0; k < WORKERS; k++) {
                if (!busy[k]) {
                    idle.add(k);
                }
            }
            return idle;
        }

        void ask(int k, Kind kind) {
            if (kind == Kind.BATCH) {
                askForBatch(k);
                return;
            }
            boolean task = kind == Kind.TASK;
            CommandThread w = workers[k];
            if (task) {
                w.send(() -> {
                    gate.run("w" + k, 600_000, () -> admitted.add("task w" + k));
                });
            } else {
                w.send(() -> {
                    tickets[k] = gate.acquire("w" + k, 600_000);
                    admitted.add("grant w" + k);
                });
            }
            if (owner == null && queue.isEmpty()) {
                expected.add((task ? "task w" : "grant w") + k);
                if (!task) {
                    owner = k;
                    busy[k] = true;
                }
            } else {
                queue.add(new Request(k, task, null));
                busy[k] = true;
            }
            settle();
        }

        private void askForBatch(int k) {
            String a = "batch w" + k + " #0";
            String b = "batch w" + k + " #1";
            workers[k].send(() -> {
                for (WriterGate.Ticket t : gate.runAll("w" + k, 600_000,
                        List.<WriterGate.Task<?>>of(() -> admitted.add(a), () -> admitted.add(b)))) {
                    if (t.failure() != null) {
                        throw new AssertionError("a task of the batch failed", t.failure());
                    }
                }
            });
            if (owner == null && queue.isEmpty()) {
                expected.add(a);
                expected.add(b);
            } else {
                queue.add(new Request(k, true, a));
                queue.add(new Request(k, true, b));
                busy[k] = true;
            }
            settle();
        }

        void release() {
            int k = owner;
            workers[k].send(() -> {
                WriterGate.Ticket t = tickets[k];
                tickets[k] = null;
                gate.release(t);
            });
            owner = null;
            busy[k] = false;
            // The next in line gets the gate; tasks at the head run one after another, then a holder takes it.
            while (!queue.isEmpty() && owner == null) {
                Request next = queue.poll();
                expected.add(next.admission());
                if (next.task) {
                    busy[next.worker] = queue.stream().anyMatch(r -> r.worker == next.worker);
                } else {
                    owner = next.worker;
                }
            }
            settle();
        }

        void interrupt(int k) {
            queue.removeIf(r -> r.worker == k);
            busy[k] = false;
            workers[k].thread().interrupt();
            Await.until("w" + k + " gave up waiting", workers[k]::failed);
            Throwable failure = workers[k].takeFailure();
            assertTrue(failure instanceof SQLException && failure.getMessage().contains("interrupted"),
                    String.valueOf(failure));
            settle();
        }

        /** Waits until every worker is where the model says: admitted, finished, or counted as queued. */
        private void settle() {
            Await.until("the gate settles as the model says: " + expected, () -> admitted.size() == expected.size()
                    && gate.queued() == queue.size() && idleAreIdle());
        }

        private boolean idleAreIdle() {
            for (int k = 0; k < WORKERS; k++) {
                if (!busy[k] && !workers[k].idle()) {
                    return false;
                }
            }
            return true;
        }

        boolean matchesModel() {
            assertEquals(expected, new ArrayList<>(admitted), "admission order");
            assertEquals(owner == null ? null : "w" + owner, gate.holderThread(), "holder");
            assertEquals(queue.size(), gate.queued(), "queued");
            for (int k = 0; k < WORKERS; k++) {
                assertEquals(null, workers[k].takeFailure(), "w" + k + " failed");
            }
            return true;
        }

        void close() {
            for (CommandThread w : workers) {
                w.stop();
            }
        }

        @Override
        public String toString() {
            return "GateSystem" + expected;
        }
    }
}
