package io.github.safesqlite.stress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.SQLiteException;

/**
 * Runs each workload on each set-up against a fresh embedded SQLite file, with plain sqlite-jdbc on
 * one thread as the reference every other row is measured against (the machine may be shared and
 * noisy, so only ratios from one run mean anything). Verifies each run's invariant and that every
 * acknowledged write is present, and runs {@code PRAGMA integrity_check}.
 */
public final class StressRunner {

    private final List<String> workloads = new ArrayList<>();
    private int threads = 8;
    private double duration = 5;
    private double warmup = 1;
    private List<String> setups = List.of("plain", "safe");
    private Path out;
    private final PrintStream console = System.out;

    /** Entry point; see {@code --help}. */
    public static void main(String[] args) throws Exception {
        StressRunner runner = new StressRunner();
        if (!runner.parse(args)) {
            return;
        }
        List<RunResult> results = runner.run();
        boolean ok = results.stream().allMatch(r -> r.integrity.equals("ok"));
        System.exit(ok ? 0 : 1);
    }

    private boolean parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--workload" -> workloads.add(value(args, ++i, a));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--duration" -> duration = Double.parseDouble(value(args, ++i, a));
                case "--warmup" -> warmup = Double.parseDouble(value(args, ++i, a));
                case "--setups" -> setups = Arrays.asList(value(args, ++i, a).split(","));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--help", "-h" -> {
                    console.println("usage: stress-tests/run [--workload transfer|write-heavy|point-select]... "
                            + "[--threads N] [--duration SECONDS] [--warmup SECONDS] [--setups plain,safe,safe-no-metrics] [--out DIR]");
                    return false;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        if (workloads.isEmpty()) {
            workloads.addAll(List.of("transfer", "write-heavy"));
        }
        if (out == null) {
            out = Path.of("stress-tests", "results",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return true;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    List<RunResult> run() throws Exception {
        Files.createDirectories(out);
        List<RunResult> results = new ArrayList<>();
        for (String w : workloads) {
            Workload workload = Workload.named(w);
            results.add(runOne(workload, "plain", 1));
            for (String s : setups) {
                results.add(runOne(workload, s, threads));
            }
        }
        printTable(results);
        writeCsv(results);
        console.println("results: " + out.toAbsolutePath());
        return results;
    }

    private RunResult runOne(Workload workload, String setupName, int threadCount) throws Exception {
        Path file = out.resolve(workload.name() + "-" + setupName + "-x" + threadCount + ".db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        try (Setup setup = Setup.named(setupName, file)) {
            try (Connection c = setup.connect()) {
                workload.setUp(c);
            }
            AtomicLong acknowledged = new AtomicLong();
            Map<String, Long> errors = new HashMap<>();
            List<long[]> latencies = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(threadCount);
            // Each run warms up first (JIT, class generation, caches) and measures only after that.
            long measureFrom = System.nanoTime() + (long) (warmup * 1e9);
            long deadline = measureFrom + (long) (duration * 1e9);
            long started = measureFrom;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                int thread = t;
                long[][] mine = {new long[1 << 16]};
                int[] count = {0};
                Thread worker = new Thread(() -> {
                    Random random = new Random(thread);
                    long seq = 0;
                    try (Connection c = setup.connect()) {
                        while (System.nanoTime() < deadline) {
                            long t0 = System.nanoTime();
                            try {
                                if (workload.runOnce(c, random, thread, ++seq)) {
                                    acknowledged.incrementAndGet();
                                }
                                if (t0 < measureFrom) {
                                    continue;
                                }
                                if (count[0] == mine[0].length) {
                                    mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
                                }
                                mine[0][count[0]++] = System.nanoTime() - t0;
                            } catch (SQLException e) {
                                synchronized (errors) {
                                    errors.merge(errorKind(e), 1L, Long::sum);
                                }
                            }
                        }
                    } catch (SQLException e) {
                        synchronized (errors) {
                            errors.merge("connect: " + errorKind(e), 1L, Long::sum);
                        }
                    } finally {
                        synchronized (latencies) {
                            latencies.add(Arrays.copyOf(mine[0], count[0]));
                        }
                        done.countDown();
                    }
                }, "stress-" + setupName + "-" + t);
                workers.add(worker);
                worker.start();
            }
            showProgress(workload.name() + " / " + setupName + " x" + threadCount, deadline, started, done);
            double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
            String integrity;
            try (Connection c = setup.connect()) {
                integrity = verify(workload, c, acknowledged.get());
            }
            return new RunResult(workload.name(), setupName, threadCount, seconds, all.length, all, errors, integrity);
        }
    }

    private static String verify(Workload workload, Connection c, long acknowledged) throws SQLException {
        String problem = workload.verify(c, acknowledged);
        if (!problem.isEmpty()) {
            return problem;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            String check = rs.getString(1);
            return check.equals("ok") ? "ok" : "integrity_check: " + check;
        }
    }

    private static String errorKind(SQLException e) {
        if (e instanceof SQLiteException se) {
            return se.getResultCode().name();
        }
        return e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " " + e.getSQLState());
    }

    private void showProgress(String label, long deadline, long started, CountDownLatch done) throws InterruptedException {
        int width = 30;
        if (System.console() == null) {
            // Not a terminal (CI, a pipe): one line per run instead of a redrawn bar.
            done.await();
            console.printf("  %-32s done%n", label);
            return;
        }
        while (!done.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            double f = Math.max(0, Math.min(1, (double) (System.nanoTime() - started) / (deadline - started)));
            int filled = (int) (f * width);
            console.printf("\r  %-32s [%s%s] %3d%%", label, "#".repeat(filled), " ".repeat(width - filled), (int) (f * 100));
        }
        console.printf("\r  %-32s [%s] done%n", label, "#".repeat(width));
    }

    private void printTable(List<RunResult> results) {
        console.println();
        String header = String.format(Locale.ROOT, "%-12s %-10s %10s %10s %8s %8s %8s %9s %8s  %s",
                "workload", "set-up", "ops/s", "vs plain1", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "integrity");
        console.println(header);
        console.println("-".repeat(header.length() + 6));
        Map<String, Double> reference = new HashMap<>();
        for (RunResult r : results) {
            if (r.setup.equals("plain") && r.threads == 1) {
                reference.put(r.workload, r.throughput());
            }
        }
        for (RunResult r : results) {
            double ref = reference.getOrDefault(r.workload, r.throughput());
            console.println(String.format(Locale.ROOT, "%-12s %-10s %10.0f %9.2fx %8.3f %8.3f %8.3f %9.1f %8d  %s",
                    r.workload, r.label(), r.throughput(), r.throughput() / ref, r.latencyMillis(0.50),
                    r.latencyMillis(0.99), r.latencyMillis(0.999), r.latencyMillis(1.0), r.errorCount(), r.integrity));
        }
        for (RunResult r : results) {
            if (!r.errors.isEmpty()) {
                console.println("  errors of " + r.workload + " / " + r.label() + ": " + r.errors);
            }
        }
    }

    private void writeCsv(List<RunResult> results) throws IOException {
        StringBuilder csv = new StringBuilder("workload,setup,threads,seconds,operations,ops_per_s,p50_ms,p99_ms,p999_ms,max_ms,errors,integrity\n");
        for (RunResult r : results) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%d,%.1f,%.4f,%.4f,%.4f,%.4f,%d,\"%s\"%n",
                    r.workload, r.setup, r.threads, r.seconds, r.operations, r.throughput(), r.latencyMillis(0.5),
                    r.latencyMillis(0.99), r.latencyMillis(0.999), r.latencyMillis(1.0), r.errorCount(),
                    r.integrity.replace("\"", "'")));
        }
        Files.writeString(out.resolve("results.csv"), csv);
    }
}
