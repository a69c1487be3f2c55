package io.github.safesqlite.faults;

import io.github.safesqlite.SafeSqliteDataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A separate JVM that writes through safesqlite, started by the multi-process and kill tests.
 * Once the data source is open and every thread holds its connection and statement it prints
 * {@code READY}, and only then starts its clock: a busy machine that is slow to start a JVM
 * shortens nothing. Each thread inserts (process, thread, seq) rows in autocommit mode and prints
 * {@code ACK process thread seq} only after executeUpdate returned, so the parent knows exactly
 * which writes were acknowledged. Ends with {@code DONE ops errors p50us p99us}.
 *
 * <p>Arguments: database path, threads, milliseconds to run (0: until killed), process id, then
 * extra {@code key=value} settings.
 */
public final class WriterProcess {

    private WriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        int threads = Integer.parseInt(args[1]);
        long millis = Long.parseLong(args[2]);
        int process = Integer.parseInt(args[3]);
        var builder = SafeSqliteDataSource.builder().path(path);
        for (String setting : Arrays.asList(args).subList(4, args.length)) {
            int eq = setting.indexOf('=');
            builder.set(setting.substring(0, eq), setting.substring(eq + 1));
        }
        PrintStream out = System.out;
        long[] deadline = {Long.MAX_VALUE};
        CountDownLatch prepared = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<long[]> latencies = new ArrayList<>();
        long[] errors = new long[1];
        try (SafeSqliteDataSource ds = builder.dataSource()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                long[] mine = new long[1 << 20];
                latencies.add(mine);
                Thread w = new Thread(() -> {
                    int n = 0;
                    try (Connection c = ds.getConnection();
                         PreparedStatement ps = c.prepareStatement("INSERT INTO event(process, thread, seq) VALUES (?, ?, ?)")) {
                        prepared.countDown();
                        go.await();
                        for (long seq = 1; System.nanoTime() < deadline[0]; seq++) {
                            ps.setInt(1, process);
                            ps.setInt(2, thread);
                            ps.setLong(3, seq);
                            long t0 = System.nanoTime();
                            try {
                                ps.executeUpdate();
                            } catch (SQLException e) {
                                synchronized (errors) {
                                    errors[0]++;
                                }
                                System.err.println("ERR " + e);
                                continue;
                            }
                            long took = System.nanoTime() - t0;
                            if (n < mine.length - 1) {
                                mine[++n] = took;
                                mine[0] = n;
                            }
                            synchronized (out) {
                                out.println("ACK " + process + " " + thread + " " + seq);
                                out.flush();
                            }
                        }
                    } catch (SQLException | InterruptedException e) {
                        System.err.println("ERR " + e);
                        synchronized (errors) {
                            errors[0]++;
                        }
                    }
                });
                workers.add(w);
                w.start();
            }
            prepared.await();
            synchronized (out) {
                out.println("READY");
                out.flush();
            }
            deadline[0] = millis == 0 ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000;
            go.countDown();
            for (Thread w : workers) {
                w.join();
            }
        }
        long[] all = latencies.stream().flatMapToLong(a -> Arrays.stream(a, 1, (int) a[0] + 1)).sorted().toArray();
        long p50 = all.length == 0 ? 0 : all[all.length / 2] / 1000;
        long p99 = all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1000;
        out.println("DONE " + all.length + " " + errors[0] + " " + p50 + " " + p99);
        out.flush();
    }
}
