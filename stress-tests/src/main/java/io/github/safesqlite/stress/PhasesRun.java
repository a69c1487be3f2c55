package io.github.safesqlite.stress;

import io.github.safesqlite.Phase;
import io.github.safesqlite.PhaseScope;
import io.github.safesqlite.SafeSqliteDataSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code phases} workload: the original design's bulk load, analysis and reporting, run twice
 * on fresh files through safesqlite, once as plain calls ({@code safe}) and once inside
 * {@code ds.phase(...)} ({@code safe-phases}), so that each stage's row compares the two in one
 * run. Load: {@code --threads} threads insert batches of 500 rows; analysis: aggregate queries over
 * the whole table; reporting: indexed report queries. Verifies that every loaded row is there.
 */
final class PhasesRun {

    private static final int BATCH = 500;

    private final Options options;
    private final PrintStream console;

    PhasesRun(Options options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    /** A timed loop of one operation. */
    @FunctionalInterface
    private interface Operation {
        void run(Connection c, ThreadLocalRandom random) throws SQLException;
    }

    List<RunResult> run() throws Exception {
        List<RunResult> results = new ArrayList<>();
        List<RunResult> with = new ArrayList<>();
        results.addAll(runAll("safe", false));
        with.addAll(runAll("safe-phases", true));
        // Grouped by stage, the plain run first: each stage's ratio is against its run without phases.
        List<RunResult> ordered = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            ordered.add(results.get(i));
            ordered.add(with.get(i));
        }
        return ordered;
    }

    private List<RunResult> runAll(String setup, boolean phases) throws Exception {
        Path file = options.out.resolve("phases-" + setup + ".db").toAbsolutePath();
        Files.createDirectories(file.getParent());
        List<RunResult> out = new ArrayList<>();
        try (SafeSqliteDataSource ds = SafeSqliteDataSource.builder().path(file.toString()).dataSource()) {
            try (Connection c = ds.getConnection()) {
                Workload.exec(c, "DROP TABLE IF EXISTS fact",
                        "CREATE TABLE fact(id INTEGER PRIMARY KEY, customer INTEGER, day INTEGER, amount INTEGER, note TEXT)",
                        "CREATE INDEX fact_customer ON fact(customer)");
            }
            AtomicLong loaded = new AtomicLong();
            out.add(stage(ds, setup, phases ? Phase.BULK_LOAD : null, "phases:load", (c, r) -> {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO fact(customer, day, amount, note) VALUES (?, ?, ?, ?)")) {
                    for (int i = 0; i < BATCH; i++) {
                        ps.setInt(1, r.nextInt(5_000));
                        ps.setInt(2, r.nextInt(365));
                        ps.setInt(3, r.nextInt(10_000));
                        ps.setString(4, "note " + r.nextLong());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                    loaded.addAndGet(BATCH);
                } finally {
                    c.setAutoCommit(true);
                }
            }, file, loaded));
            out.add(stage(ds, setup, phases ? Phase.ANALYSIS : null, "phases:analysis", (c, r) -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT day, count(*), sum(amount) FROM fact WHERE day BETWEEN ? AND ? GROUP BY day")) {
                    int from = r.nextInt(300);
                    ps.setInt(1, from);
                    ps.setInt(2, from + 30);
                    drain(ps);
                }
            }, file, loaded));
            out.add(stage(ds, setup, phases ? Phase.REPORTING : null, "phases:report", (c, r) -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT day, amount FROM fact WHERE customer = ? ORDER BY day DESC LIMIT 20")) {
                    ps.setInt(1, r.nextInt(5_000));
                    drain(ps);
                }
            }, file, loaded));
        }
        return out;
    }

    private static void drain(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getLong(2);
            }
        }
    }

    /** Runs {@code op} on every thread for the duration, inside {@code phase} when given; verifies the loaded rows. */
    private RunResult stage(SafeSqliteDataSource ds, String setup, Phase phase, String name, Operation op, Path file,
            AtomicLong loaded) throws Exception {
        Map<String, Long> errors = new ConcurrentHashMap<>();
        List<Latencies> perThread = new ArrayList<>();
        long largestWal;
        long start = System.nanoTime();
        long end = start + (long) (options.duration * 1e9);
        try (PhaseScope scope = phase == null ? null : ds.phase(phase)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < options.threads; t++) {
                Latencies mine = new Latencies();
                perThread.add(mine);
                Thread thread = new Thread(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try (Connection c = ds.getConnection()) {
                            op.run(c, r);
                        } catch (SQLException e) {
                            errors.merge(WorkerLoop.kind(e), 1L, Long::sum);
                            continue;
                        }
                        mine.add(System.nanoTime() - t0);
                    }
                }, "phases-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            largestWal = walBytes(file); // before the phase's clean-up: what the stage left
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = perThread.stream().flatMapToLong(Latencies::values).toArray();
        String verdict;
        try (Connection c = ds.getConnection()) {
            verdict = Workload.expectRows("loaded rows", Workload.scalar(c, "SELECT count(*) FROM fact"), loaded.get());
        }
        console.printf("  %-24s %s done%n", name, setup);
        return new RunResult(name, setup, options.threads, 1, seconds, all, errors, -1, largestWal,
                verdict.isEmpty() ? "ok" : verdict);
    }

    private static long walBytes(Path db) {
        try {
            return Files.size(Path.of(db + "-wal"));
        } catch (java.io.IOException gone) {
            return 0;
        }
    }
}
