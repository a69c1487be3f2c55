package io.github.safesqlite.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.CommandThread;
import io.github.safesqlite.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The reader pool against a model, on real threads and real SQLite connections: four workers
 * borrow from a pool of two, give back, or are interrupted while they wait. The model keeps who
 * holds a reader and who waits; the pool never lends more than its size, never lends one
 * connection twice, wakes exactly one waiter per return (which one is the pool's choice, taken
 * from what happened), and its in-use and waiting counts are the model's. See
 * {@link GateModelProperties} for why this is a jqwik chain with real threads.
 */
class ReaderPoolModelProperties {

    static final int WORKERS = 4;
    static final int READERS = 2;

    @Property(tries = 25)
    void thePoolLendsAtMostItsSizeAndWakesOneWaiterPerReturn(@ForAll("chains") ActionChain<PoolSystem> chain) {
        chain.withInvariant("pool matches the model", PoolSystem::matchesModel).run();
        chain.finalState().ifPresent(PoolSystem::close);
    }

    @Provide
    Arbitrary<ActionChain<PoolSystem>> chains() {
        return ActionChain.startWith(PoolSystem::open)
                .withAction(new Borrow())
                .withAction(new GiveBack())
                .withAction(new Interrupt())
                .withMaxTransformations(25);
    }

    record Borrow() implements Action.Dependent<PoolSystem> {
        @Override
        public boolean precondition(PoolSystem s) {
            return !s.idle().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<PoolSystem>> transformer(PoolSystem s) {
            return Arbitraries.of(s.idle()).map(k -> Transformer.mutate("w" + k + " borrows", sys -> sys.borrow(k)));
        }
    }

    record GiveBack() implements Action.Dependent<PoolSystem> {
        @Override
        public boolean precondition(PoolSystem s) {
            return !s.holding.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<PoolSystem>> transformer(PoolSystem s) {
            return Arbitraries.of(new ArrayList<>(s.holding)).map(k -> Transformer.mutate("w" + k + " gives back",
                    sys -> sys.giveBack(k)));
        }
    }

    record Interrupt() implements Action.Dependent<PoolSystem> {
        @Override
        public boolean precondition(PoolSystem s) {
            return !s.waiting.isEmpty();
        }

        @Override
        public Arbitrary<Transformer<PoolSystem>> transformer(PoolSystem s) {
            return Arbitraries.of(new ArrayList<>(s.waiting)).map(k -> Transformer.mutate("w" + k + " is interrupted",
                    sys -> sys.interrupt(k)));
        }
    }

    static final class PoolSystem {
        final Path dir;
        final PhysicalConnection writer;
        final ReaderPool pool;
        final CommandThread[] workers = new CommandThread[WORKERS];
        final Lease[] leases = new Lease[WORKERS];
        // the model
        final Set<Integer> holding = new LinkedHashSet<>();
        final Set<Integer> waiting = new LinkedHashSet<>();

        private PoolSystem() throws Exception {
            dir = Files.createTempDirectory("pool-model");
            SafeSqliteConfig config = SafeSqliteDataSource.builder().path(dir.resolve("pool.db").toString()).build();
            ConnectionFactory factory = new ConnectionFactory(config, new PragmaProfile(config));
            writer = factory.open(PhysicalConnection.Role.WRITER); // makes the file a WAL database
            pool = new ReaderPool(() -> factory.open(PhysicalConnection.Role.READER), "pool.db", READERS, 600_000,
                    Clock.SYSTEM, new SafeSqliteListener() { });
            for (int k = 0; k < WORKERS; k++) {
                workers[k] = new CommandThread("w" + k);
            }
        }

        static PoolSystem open() {
            try {
                return new PoolSystem();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        List<Integer> idle() {
            List<Integer> idle = new ArrayList<>();
            for (int k = 0; k < WORKERS; k++) {
                if (!holding.contains(k) && !waiting.contains(k)) {
                    idle.add(k);
                }
            }
            return idle;
        }

        void borrow(int k) {
            workers[k].send(() -> leases[k] = pool.lend());
            if (holding.size() < READERS) {
                holding.add(k);
                Await.until("w" + k + " got a reader at once", workers[k]::idle);
            } else {
                waiting.add(k);
                Await.until("w" + k + " waits", () -> pool.waiting() == waiting.size());
            }
        }

        void giveBack(int k) {
            workers[k].send(() -> {
                Lease l = leases[k];
                leases[k] = null;
                l.release();
            });
            holding.remove(k);
            Await.until("w" + k + " gave back", workers[k]::idle);
            if (!waiting.isEmpty()) {
                // Exactly one waiter is woken with the reader; which one is the pool's choice.
                Await.until("a waiter got the returned reader", () -> pool.waiting() == waiting.size() - 1
                        && waiting.stream().anyMatch(w -> workers[w].idle()));
                int woken = waiting.stream().filter(w -> workers[w].idle()).findFirst().orElseThrow();
                waiting.remove(woken);
                holding.add(woken);
            }
        }

        void interrupt(int k) {
            workers[k].thread().interrupt();
            Await.until("w" + k + " gave up waiting", workers[k]::failed);
            Throwable failure = workers[k].takeFailure();
            assertTrue(failure instanceof SQLException && failure.getMessage().contains("interrupted"),
                    String.valueOf(failure));
            waiting.remove(k);
            Await.until("the pool forgot the waiter", () -> pool.waiting() == waiting.size());
        }

        boolean matchesModel() {
            assertEquals(holding.size(), pool.inUse(), "readers in use");
            assertEquals(waiting.size(), pool.waiting(), "reads waiting");
            assertTrue(pool.inUse() + pool.idle() <= READERS, "never more readers than the pool's size");
            Set<PhysicalConnection> lent = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (int k : holding) {
                assertTrue(lent.add(leases[k].physical()), "w" + k + " holds a reader someone else holds too");
            }
            for (int k = 0; k < WORKERS; k++) {
                assertEquals(null, workers[k].takeFailure(), "w" + k + " failed");
            }
            return true;
        }

        void close() {
            for (CommandThread w : workers) {
                w.stop();
            }
            for (int k : holding) {
                leases[k].release();
            }
            pool.close();
            writer.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String toString() {
            return "PoolSystem[holding " + holding + ", waiting " + waiting + "]";
        }
    }
}
