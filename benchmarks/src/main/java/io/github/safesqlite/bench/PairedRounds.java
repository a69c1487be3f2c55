package io.github.safesqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Set-ups measured against plain sqlite-jdbc on one thread in alternating rounds inside one JVM.
 * JMH runs each set-up in its own fork, a minute or more apart, and on a shared machine both the
 * disk's sync latency and the CPU left to us drift within minutes: plain sqlite-jdbc's own FULL
 * rate read 2.2k to 5.2k inserts a second in four runs of one benchmark, so ratios of forks a
 * minute apart said as much about the machine as about the code. Here every round runs each
 * set-up for the same short time, one after another, each on its own database file, and each
 * round gives its own ratios; the median round is the estimate and the range shows the noise that
 * is left.
 */
final class PairedRounds {

    /** A ratio over rounds: the median, and the lowest and highest round. */
    record Ratio(double median, double low, double high, int rounds) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.2fx (rounds %.2f-%.2fx, median of %d)", median, low, high, rounds);
        }
    }

    /** Rounds run before any is counted: the JIT compiles the set-ups' code meanwhile. */
    static final int WARM_UP_ROUNDS = 2;

    private PairedRounds() {
    }

    /**
     * Only these rounds, printed, without the JMH suite (which runs them at its end too):
     * {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.github.safesqlite.bench.PairedRounds [ROUNDS]}.
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        System.out.println("point selects: safe / plain " + pointSelects(rounds, 1000));
        for (String sync : new String[] {"NORMAL", "FULL"}) {
            List<Ratio> r = inserts(sync, rounds, 1000);
            System.out.println("inserts " + sync + ": safe x1 / plain x1 " + r.get(0) + "; safe x8 / plain x1 " + r.get(1));
        }
        for (boolean literal : new boolean[] {false, true}) {
            List<Ratio> r = transfers(literal, rounds, 1000);
            System.out.println("transfers " + (literal ? "literal" : "prepared") + ": safe x8 / plain x1 " + r.get(0)
                    + "; batched units x8 / plain x1 " + r.get(1));
        }
    }

    /**
     * Autocommit inserts: safesqlite on one thread (a held connection and one prepared statement,
     * as {@link InsertBenchmark}) and on 8 threads borrowing a connection per insert (as
     * {@link ContendedInsertBenchmark}), each against plain sqlite-jdbc on one thread.
     *
     * @return the two ratios, in that order
     */
    static List<Ratio> inserts(String synchronous, int rounds, long roundMillis) throws Exception {
        try (Fixture plain = new Fixture("plain", synchronous);
             Fixture safeOne = new Fixture("safe", synchronous);
             Fixture safeEight = new Fixture("safe", synchronous);
             Connection plainConnection = plain.hold();
             Connection safeConnection = safeOne.hold();
             PreparedStatement plainInsert = plainConnection.prepareStatement(ContendedInsertBenchmark.INSERT);
             PreparedStatement safeInsert = safeConnection.prepareStatement(ContendedInsertBenchmark.INSERT)) {
            return againstFirst(rounds, roundMillis,
                    end -> oneThread(() -> InsertBenchmark.insert(plainInsert), end),
                    end -> oneThread(() -> InsertBenchmark.insert(safeInsert), end),
                    end -> eightThreads(() -> ContendedInsertBenchmark.insert(safeEight), end));
        }
    }

    /**
     * Read-then-write transfers on 8 threads, as JDBC transactions through safesqlite and as
     * batched {@code inTransaction} units, each against plain sqlite-jdbc on one thread (as
     * {@link TransferBenchmark}).
     *
     * @return the two ratios, in that order
     */
    static List<Ratio> transfers(boolean literal, int rounds, long roundMillis) throws Exception {
        try (Fixture plain = new Fixture("plain");
             Fixture safe = new Fixture("safe");
             Fixture units = new Fixture("safe-units");
             Connection plainConnection = plain.plain()) {
            Fixture.Operation transfer = c -> TransferBenchmark.transfer(c, literal);
            return againstFirst(rounds, roundMillis,
                    end -> oneThread(() -> Fixture.inTransaction(plainConnection, transfer), end),
                    end -> eightThreads(() -> safe.run(true, transfer), end),
                    end -> eightThreads(() -> units.run(true, transfer), end));
        }
    }

    /**
     * Point selects on one thread with a reused prepared statement (as {@link PointSelectBenchmark}):
     * safesqlite against plain sqlite-jdbc. A few microseconds each, so a difference of 5% is below
     * what forks a minute apart can resolve.
     */
    static Ratio pointSelects(int rounds, long roundMillis) throws Exception {
        try (Fixture plain = new Fixture("plain");
             Fixture safe = new Fixture("safe");
             Connection plainConnection = plain.hold();
             Connection safeConnection = safe.hold();
             PreparedStatement plainSelect = plainConnection.prepareStatement(PointSelectBenchmark.SQL);
             PreparedStatement safeSelect = safeConnection.prepareStatement(PointSelectBenchmark.SQL)) {
            int[] next = new int[1];
            return againstFirst(rounds, roundMillis,
                    end -> oneThread(() -> PointSelectBenchmark.select(plainSelect, next[0]++).length(), end),
                    end -> oneThread(() -> PointSelectBenchmark.select(safeSelect, next[0]++).length(), end)).get(0);
        }
    }

    /** One operation of a set-up, on whatever connection the set-up uses. */
    @FunctionalInterface
    private interface Step {
        int run() throws SQLException;
    }

    /** One set-up's share of a round: runs until {@code end} ({@link System#nanoTime()}), and says how many operations. */
    @FunctionalInterface
    private interface Load {
        long runUntil(long end) throws Exception;
    }

    /**
     * Runs every load for {@code roundMillis} per round, their order turning every round, and gives
     * each load after the first its ratio to the first over the counted rounds.
     */
    private static List<Ratio> againstFirst(int rounds, long roundMillis, Load... loads) throws Exception {
        double[][] ratios = new double[loads.length - 1][rounds];
        for (int r = 0; r < WARM_UP_ROUNDS + rounds; r++) {
            long[] done = new long[loads.length];
            for (int k = 0; k < loads.length; k++) {
                int i = (r + k) % loads.length;
                done[i] = loads[i].runUntil(System.nanoTime() + roundMillis * 1_000_000);
            }
            if (r >= WARM_UP_ROUNDS) {
                for (int i = 1; i < loads.length; i++) {
                    ratios[i - 1][r - WARM_UP_ROUNDS] = (double) done[i] / done[0];
                }
            }
        }
        List<Ratio> result = new ArrayList<>();
        for (double[] load : ratios) {
            result.add(ratio(load));
        }
        return result;
    }

    private static long oneThread(Step step, long end) throws SQLException {
        long n = 0;
        while (System.nanoTime() - end < 0) {
            step.run();
            n++;
        }
        return n;
    }

    private static long eightThreads(Step step, long end) throws Exception {
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() - end < 0) {
                        step.run();
                        done.increment();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "paired-round-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an operation failed in the paired rounds", failure.get());
        }
        return done.sum();
    }

    private static Ratio ratio(double[] rounds) {
        double[] sorted = rounds.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Ratio(median, sorted[0], sorted[n - 1], n);
    }
}
