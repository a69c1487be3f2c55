package io.github.safesqlite.stress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Runs each workload on each set-up against a fresh embedded SQLite file, with plain sqlite-jdbc on
 * one thread as the reference every other row is measured against (the machine may be shared and
 * noisy, so only ratios from one run mean anything). Verifies each run's invariant, that every
 * acknowledged write is present, and {@code PRAGMA integrity_check}; writes a table, CSV, JSON and
 * an HTML report.
 */
public final class StressRunner {

    private final Options options;
    private final PrintStream console;

    StressRunner(Options options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    /** Entry point; see {@code --help}. Exits 1 when any run fails its integrity check. */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            return;
        }
        List<RunResult> results = new StressRunner(options, System.out).run();
        System.exit(results.stream().allMatch(RunResult::ok) ? 0 : 1);
    }

    List<RunResult> run() throws Exception {
        Files.createDirectories(options.out);
        List<RunResult> results = new ArrayList<>();
        for (String w : options.workloads) {
            if (w.equals("tenants")) {
                results.addAll(new TenantsRun(options, console).run());
                continue;
            }
            if (w.equals("phases")) {
                results.addAll(new PhasesRun(options, console).run());
                continue;
            }
            Workload workload = Workload.named(w);
            boolean multi = workload instanceof MultiProcessWorkload;
            // The reference: plain sqlite-jdbc with one working thread (long-reader's first thread only reads).
            int referenceThreads = workload.isLongReader(0) ? 2 : 1;
            results.add(multi ? runProcesses(workload, "plain", 1, 1) : runOne(workload, "plain", referenceThreads));
            for (String s : options.setups) {
                results.add(multi ? runProcesses(workload, s, options.threads, options.processes)
                        : runOne(workload, s, options.threads));
            }
            if (options.url != null && !multi) {
                results.add(runOne(workload, "url", options.threads));
            }
        }
        Report report = new Report(results);
        console.println();
        console.print(report.table());
        report.writeFiles(options.out);
        console.println("results: " + options.out.toAbsolutePath() + " (report.html, results.csv, results.json)");
        return results;
    }

    private Path freshFile(Workload workload, String setup, int threads) throws IOException {
        Path file = options.out.resolve(workload.name() + "-" + setup + "-x" + threads + ".db").toAbsolutePath();
        delete(file);
        return file;
    }

    /** A verified run's database (and its WAL, which can reach hundreds of MB) is not kept in the results. */
    private static void delete(Path file) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm", "-safesqlite.lock")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
    }

    RunResult runOne(Workload workload, String setupName, int threads) throws Exception {
        Path file = freshFile(workload, setupName, threads);
        try (Setup setup = Setup.named(setupName, file, options.url, options.safeSettings)) {
            try (Connection c = setup.connect()) {
                workload.setUp(c);
            }
            WorkerLoop loop = WorkerLoop.start(workload, setup, threads, 0, options.warmup, options.duration);
            long walMax = watch(workload.name() + " / " + setupName + " x" + threads, loop, setupName.equals("url") ? null : file);
            if (!loop.await(30_000)) {
                loop.errors.merge("worker threads stuck", 1L, Long::sum);
            }
            String integrity;
            try (Connection c = setup.connect()) {
                integrity = verify(workload, c, loop.acknowledged.get());
            }
            RunResult result = new RunResult(workload.name(), setupName, threads, 1, options.duration, loop.latencies(),
                    loop.errors, setup.retries(), walMax, integrity);
            setup.close();
            if (!setupName.equals("url")) {
                delete(file);
            }
            return result;
        }
    }

    /** Shows progress and samples the WAL size until the workers are done; returns the largest WAL seen. */
    private long watch(String label, WorkerLoop loop, Path file) throws InterruptedException {
        Progress progress = new Progress(console, label, loop.measureFrom, loop.deadline);
        long walMax = file == null ? -1 : 0;
        while (!loop.finished() && System.nanoTime() < loop.deadline + 30_000_000_000L) {
            progress.show();
            if (file != null) {
                walMax = Math.max(walMax, size(Path.of(file + "-wal")));
            }
            Thread.sleep(100);
        }
        progress.done();
        return walMax;
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    RunResult runProcesses(Workload workload, String setupName, int threads, int processes) throws Exception {
        Path file = freshFile(workload, setupName, threads);
        try (Connection c = Setup.plainConnection("jdbc:sqlite:" + file)) {
            workload.setUp(c);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        List<Path> latencyFiles = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            Path latencies = options.out.resolve(workload.name() + "-" + setupName + "-p" + p + ".latencies");
            latencyFiles.add(latencies);
            children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ProcessWorker.class.getName(), setupName,
                    file.toString(), Integer.toString(threads), Double.toString(options.warmup),
                    Double.toString(options.duration), Integer.toString(p + 1), latencies.toString(), options.safeSettings)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        long acknowledged = 0;
        long retries = 0;
        Map<String, Long> errors = new HashMap<>();
        Progress progress = new Progress(console, workload.name() + " / " + setupName + " x" + threads + " x" + processes
                + "p", System.nanoTime() + (long) (options.warmup * 1e9),
                System.nanoTime() + (long) ((options.warmup + options.duration) * 1e9));
        long walMax = 0;
        while (children.stream().anyMatch(Process::isAlive)) {
            progress.show();
            walMax = Math.max(walMax, size(Path.of(file + "-wal")));
            Thread.sleep(100);
        }
        progress.done();
        List<long[]> all = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(children.get(p).getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    String[] f = line.split(" ");
                    switch (f[0]) {
                        case "ACKED" -> acknowledged += Long.parseLong(f[1]);
                        case "RETRIES" -> {
                            long r = Long.parseLong(f[1]);
                            retries = r < 0 || retries < 0 ? -1 : retries + r;
                        }
                        case "ERROR" -> errors.merge(f[1], Long.parseLong(f[2]), Long::sum);
                        default -> { }
                    }
                }
            }
            if (children.get(p).exitValue() != 0) {
                errors.merge("process exited " + children.get(p).exitValue(), 1L, Long::sum);
            } else {
                all.add(ProcessWorker.read(latencyFiles.get(p)));
            }
            Files.deleteIfExists(latencyFiles.get(p));
        }
        String integrity;
        try (Connection c = Setup.plainConnection("jdbc:sqlite:" + file)) {
            integrity = verify(workload, c, acknowledged);
        }
        long[] latencies = all.stream().flatMapToLong(LongStream::of).toArray();
        delete(file);
        return new RunResult(workload.name(), setupName, threads, processes, options.duration, latencies, errors,
                retries, walMax, integrity);
    }

    /** The workload's own check, then SQLite's. */
    static String verify(Workload workload, Connection c, long acknowledged) throws SQLException {
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
}
