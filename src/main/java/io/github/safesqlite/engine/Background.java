package io.github.safesqlite.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The background threads of every database in the JVM: two, whatever the number of databases
 * (checkpoints, leak checks, closing idle engines), so database-per-tenant designs with thousands
 * of files do not get a thread per file. Internal to safesqlite.
 */
public final class Background {

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The shared scheduler; its daemon threads never keep the JVM alive. */
    public static final ScheduledExecutorService SCHEDULER = scheduler();

    private Background() {
    }

    private static ScheduledExecutorService scheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "safesqlite-background-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true); // a closed database's pending tick goes at once
        return s;
    }
}
