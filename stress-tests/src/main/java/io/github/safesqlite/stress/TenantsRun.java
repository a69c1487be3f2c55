package io.github.safesqlite.stress;

import io.github.safesqlite.SafeSqliteDriver;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * The {@code tenants} workload: database per tenant. {@code --tenants} files, each its own
 * database; each operation picks a tenant at random, opens a connection to its file (as a web
 * request would), inserts a row, counts its rows and closes. Runs plain sqlite-jdbc (one thread as
 * the reference, then {@code --threads}) and safesqlite through its driver. Besides throughput and
 * latency it reports the peak number of threads and open files: with safesqlite both must stay
 * bounded whatever the number of tenants. Verifies that every tenant holds exactly the rows
 * acknowledged for it.
 */
final class TenantsRun {

    private final Options options;
    private final PrintStream console;
    private final Path dir;
    /** Rows acknowledged per tenant, over every run (they share the files). */
    private final AtomicLongArray acknowledged;
    private final List<String> figures = new ArrayList<>();

    TenantsRun(Options options, PrintStream console) {
        this.options = options;
        this.console = console;
        this.dir = options.out.resolve("tenants").toAbsolutePath();
        this.acknowledged = new AtomicLongArray(options.tenants);
    }

    List<RunResult> run() throws Exception {
        Files.createDirectories(dir);
        console.println("  tenants: creating " + options.tenants + " databases");
        for (int i = 0; i < options.tenants; i++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(i)); Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v INTEGER)");
            }
        }
        List<RunResult> results = new ArrayList<>();
        results.add(runOne("plain", 1));
        results.add(runOne("plain", options.threads));
        results.add(runOne("safe", options.threads));
        Files.writeString(options.out.resolve("tenants.csv"), "setup,threads,tenants,peak_threads,peak_open_files\n"
                + String.join("\n", figures) + "\n", StandardCharsets.UTF_8);
        return results;
    }

    private Path file(int tenant) {
        return dir.resolve("tenant-" + tenant + ".db");
    }

    private String url(String setup, int tenant) {
        return setup.equals("safe")
                ? "jdbc:safesqlite:" + file(tenant) + "?idle_timeout=2000&readers=2" + (options.safeSettings.isEmpty()
                        ? "" : "&" + options.safeSettings)
                : "jdbc:sqlite:" + file(tenant) + "?busy_timeout=5000";
    }

    private RunResult runOne(String setup, int threads) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int threadsBefore = mx.getThreadCount();
        mx.resetPeakThreadCount();
        long[] peakFiles = {openFiles()};
        Map<String, Long> errors = new ConcurrentHashMap<>();
        List<long[]> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long measureFrom = start + (long) (options.warmup * 1e9);
        long deadline = measureFrom + (long) (options.duration * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            long[] mine = new long[1 << 20];
            synchronized (latencies) {
                latencies.add(mine);
            }
            Thread w = new Thread(() -> work(setup, thread, mine, measureFrom, deadline, errors), "tenants-" + t);
            workers.add(w);
            w.start();
        }
        Progress progress = new Progress(console, "tenants / " + setup + " x" + threads, measureFrom, deadline);
        while (workers.stream().anyMatch(Thread::isAlive)) {
            progress.show();
            peakFiles[0] = Math.max(peakFiles[0], openFiles());
            Thread.sleep(50);
        }
        progress.done();
        int peakThreads = mx.getPeakThreadCount() - threadsBefore - threads; // beyond the workers themselves
        if (setup.equals("safe")) {
            SafeSqliteDriver.closeAll();
        }
        figures.add(setup + "," + threads + "," + options.tenants + "," + Math.max(0, peakThreads) + "," + peakFiles[0]);
        console.println("  tenants / " + setup + " x" + threads + ": " + Math.max(0, peakThreads)
                + " threads beyond the workers at the peak, " + peakFiles[0] + " open files at the peak, "
                + options.tenants + " databases");
        long[] all = latencies.stream().flatMapToLong(a -> java.util.Arrays.stream(a, 1, (int) a[0] + 1)).toArray();
        return new RunResult("tenants", setup, threads, 1, options.duration, all, errors, -1, -1, verify());
    }

    private void work(String setup, int thread, long[] mine, long measureFrom, long deadline, Map<String, Long> errors) {
        int n = 0;
        while (System.nanoTime() < deadline) {
            int tenant = ThreadLocalRandom.current().nextInt(options.tenants);
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url(setup, tenant))) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
                    ps.setInt(1, thread);
                    ps.executeUpdate();
                }
                acknowledged.incrementAndGet(tenant);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                }
            } catch (SQLException e) {
                errors.merge(WorkerLoop.kind(e), 1L, Long::sum);
                continue;
            }
            long t1 = System.nanoTime();
            if (t0 >= measureFrom && n < mine.length - 1) {
                mine[++n] = t1 - t0;
                mine[0] = n;
            }
        }
    }

    /** "ok" when every tenant has exactly its acknowledged rows and passes integrity_check. */
    private String verify() throws SQLException {
        for (int i = 0; i < options.tenants; i++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(i)); Statement st = c.createStatement()) {
                long rows;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                String verdict = Workload.expectRows("rows in tenant " + i, rows, acknowledged.get(i));
                if (!verdict.isEmpty()) {
                    return verdict;
                }
            }
        }
        return "ok";
    }

    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
