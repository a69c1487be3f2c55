package io.github.safesqlite;

import java.sql.SQLException;
import java.util.Map;
import org.slf4j.MDC;

/**
 * What of a caller's thread a callback run on another thread takes along: the SLF4J MDC (so log
 * lines carry the caller's request id) and the context class loader. A batched unit of work's
 * callback may run on the thread of whoever holds the writer gate; other thread-locals stay behind,
 * which the README says (docs/design.md, "Batched units of work").
 */
final class CallerContext {

    /** Work run with the caller's context. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /** The thread waiting for the callback's outcome, or null when nobody waits on a thread (asynchronous work). */
    private final Thread caller;
    private final Map<String, String> mdc;
    private final ClassLoader loader;

    private CallerContext(Thread caller, Map<String, String> mdc, ClassLoader loader) {
        this.caller = caller;
        this.mdc = mdc;
        this.loader = loader;
    }

    /** The calling thread's context, now; the calling thread waits for the callback's outcome. */
    static CallerContext capture() {
        Thread t = Thread.currentThread();
        return new CallerContext(t, MDC.getCopyOfContextMap(), t.getContextClassLoader());
    }

    /** The calling thread's context, now, for work nobody waits for on a thread (its future says how it went). */
    static CallerContext captureDetached() {
        Thread t = Thread.currentThread();
        return new CallerContext(null, MDC.getCopyOfContextMap(), t.getContextClassLoader());
    }

    /**
     * Runs {@code work} here with the caller's context, and puts this thread's own back afterwards.
     * On the caller's own thread it just runs. This thread's interrupt flag is the running thread's
     * business, not the callback's: it is cleared for the callback and set again afterwards. An
     * interrupt the callback raises (the usual {@code catch (InterruptedException e) {
     * Thread.currentThread().interrupt(); ...}}) is its caller's: it goes to the waiting caller's
     * thread, as if the callback had run there, and nowhere when nobody waits on a thread.
     */
    <T> T run(Work<T> work) throws SQLException {
        Thread here = Thread.currentThread();
        if (here == caller) {
            return work.run();
        }
        Map<String, String> ownMdc = MDC.getCopyOfContextMap();
        ClassLoader ownLoader = here.getContextClassLoader();
        boolean interrupted = Thread.interrupted();
        apply(mdc);
        here.setContextClassLoader(loader);
        try {
            return work.run();
        } finally {
            boolean raised = Thread.interrupted();
            apply(ownMdc);
            here.setContextClassLoader(ownLoader);
            if (interrupted) {
                here.interrupt();
            }
            if (raised && caller != null) {
                caller.interrupt();
            }
        }
    }

    private static void apply(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
