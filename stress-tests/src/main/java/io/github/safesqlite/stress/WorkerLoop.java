package io.github.safesqlite.stress;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.SQLiteException;

/**
 * Runs one workload on one set-up with N threads: a warm-up, then the measured time. Collects each
 * measured operation's latency, the acknowledged writes and the errors by kind. Used in-process and
 * by each child of a multi-process run.
 */
final class WorkerLoop {

    final AtomicLong acknowledged = new AtomicLong();
    final Map<String, Long> errors = new HashMap<>();
    private final List<long[]> latencies = new ArrayList<>();
    private final CountDownLatch done;
    final long measureFrom;
    final long deadline;

    private WorkerLoop(int threads, double warmupSeconds, double durationSeconds) {
        this.done = new CountDownLatch(threads);
        this.measureFrom = System.nanoTime() + (long) (warmupSeconds * 1e9);
        this.deadline = measureFrom + (long) (durationSeconds * 1e9);
    }

    /** Starts the threads and returns at once; {@link #await} waits for them. */
    static WorkerLoop start(Workload workload, Setup setup, int threads, int threadIdBase, double warmup, double duration) {
        WorkerLoop loop = new WorkerLoop(threads, warmup, duration);
        for (int t = 0; t < threads; t++) {
            int thread = threadIdBase + t;
            boolean reader = workload.isLongReader(t);
            Thread worker = new Thread(() -> {
                long[] measured = new long[0];
                try {
                    if (reader) {
                        loop.holdReadTransaction(setup);
                    } else {
                        measured = loop.work(workload, setup, thread);
                    }
                } finally {
                    synchronized (loop.latencies) {
                        loop.latencies.add(measured);
                    }
                    loop.done.countDown();
                }
            }, "stress-" + setup.name + "-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        return loop;
    }

    /** Loops on the workload until the deadline; returns the latencies measured after the warm-up. */
    private long[] work(Workload workload, Setup setup, int thread) {
        Latencies measured = new Latencies();
        Random random = new Random(thread * 7919L + 17);
        long seq = 0;
        Connection held = null;
        try {
            if (!setup.perOperation()) {
                held = setup.connect();
            }
            while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                try {
                    int acked;
                    if (held != null) {
                        acked = workload.runOnce(held, random, thread, ++seq);
                    } else {
                        long n = ++seq;
                        acked = setup.operation(c -> workload.runOnce(c, random, thread, n));
                    }
                    acknowledged.addAndGet(acked);
                } catch (SQLException e) {
                    error(e);
                    continue;
                }
                if (t0 >= measureFrom) {
                    measured.add(System.nanoTime() - t0);
                }
            }
        } catch (SQLException e) {
            error(e);
        } finally {
            closeQuietly(held);
        }
        return measured.toArray();
    }

    /** A read transaction kept open for the whole run, reading now and then: the snapshot stays. */
    private void holdReadTransaction(Setup setup) {
        try (Connection c = setup.connect()) {
            try {
                c.setReadOnly(true);
            } catch (SQLException plainSqliteJdbcCannot) {
                // sqlite-jdbc fixes read-only at open; a deferred transaction still keeps one snapshot
            }
            c.setAutoCommit(false);
            while (System.nanoTime() < deadline) {
                try (Statement st = c.createStatement()) {
                    st.executeQuery("SELECT count(*) FROM event").close();
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            c.commit();
        } catch (SQLException e) {
            error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void error(SQLException e) {
        synchronized (errors) {
            errors.merge(kind(e), 1L, Long::sum);
        }
    }

    static String kind(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException se) {
                return se.getResultCode().name();
            }
        }
        return e.getClass().getSimpleName() + (e.getSQLState() == null ? "" : " " + e.getSQLState());
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the run is over; nothing to do about a failing close
            }
        }
    }

    /** Waits up to {@code millis} after the deadline for every thread. */
    boolean await(long millis) throws InterruptedException {
        return done.await(TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime())) + millis,
                TimeUnit.MILLISECONDS);
    }

    boolean finished() {
        return done.getCount() == 0;
    }

    /** Every measured latency, in nanoseconds. */
    long[] latencies() {
        synchronized (latencies) {
            return latencies.stream().flatMapToLong(Arrays::stream).toArray();
        }
    }
}
