package io.github.safesqlite.metrics;

import io.github.safesqlite.SafeSqliteListener;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs statements that succeeded but took longer than {@code slow_query_threshold} at WARN on the logger
 * {@code io.github.safesqlite.SlowQuery}, with normalized SQL; bound values only when
 * {@code log_parameters} is on. One listener among others: turn it off with a threshold of 0 and
 * add your own. Internal to safesqlite.
 */
public final class SlowQueryLog implements SafeSqliteListener {

    private static final Logger SLOW = LoggerFactory.getLogger("io.github.safesqlite.SlowQuery");

    private final long slowNanos;
    private final boolean logParameters;

    /**
     * @param slowMillis    threshold in milliseconds, 0 for none
     * @param logParameters whether the log shows bound values
     */
    public SlowQueryLog(long slowMillis, boolean logParameters) {
        this.slowNanos = thresholdNanos(slowMillis);
        this.logParameters = logParameters;
    }

    /** The threshold in nanoseconds; {@code Long.MAX_VALUE} when off. */
    public static long thresholdNanos(long slowMillis) {
        return slowMillis <= 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(slowMillis);
    }

    @Override
    public boolean timesStatements() {
        return slowNanos != Long.MAX_VALUE;
    }

    @Override
    public void statementExecuted(String database, String normalizedSql, long nanos, Throwable failure,
            BoundValues parameters) {
        if (nanos < slowNanos || failure != null) {
            return; // a failure (a time-out, a constraint) is its exception's to report: it did not run slowly
        }
        if (logParameters && parameters != null) {
            SLOW.warn("slow query on {} ({} ms): {} parameters {}", database, TimeUnit.NANOSECONDS.toMillis(nanos),
                    normalizedSql, parameters.describe());
        } else {
            SLOW.warn("slow query on {} ({} ms): {}", database, TimeUnit.NANOSECONDS.toMillis(nanos), normalizedSql);
        }
    }
}
