package io.github.safesqlite.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.github.safesqlite.sql.SqlScript;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of one database, all named {@code safesqlite.<database>.<metric>}, and the
 * slow-query log. Per-query timers are keyed by normalized SQL, so no value from a statement ever
 * reaches a metric name, and there are at most {@code max_query_metrics} of them; the rest share
 * {@code query.other}. Timers use a lock-free decaying reservoir, which costs no lock under
 * concurrency. Internal to safesqlite.
 */
public final class DatabaseMetrics {

    private static final Logger SLOW = LoggerFactory.getLogger("io.github.safesqlite.SlowQuery");

    private final MetricRegistry registry;
    private final String prefix;
    private final boolean enabled;
    private final int maxQueryNames;
    private final long slowNanos;
    private final boolean logParameters;
    private final String database;
    private final ConcurrentHashMap<String, Timer> queries = new ConcurrentHashMap<>();
    private final Timer otherQueries;
    private final Timer gateWait;
    private final Timer gateHold;
    private final Timer readerWait;
    private final Counter readerLoans;
    private final Meter retries;
    private final Meter busy;
    private final Meter reroutes;
    private final Meter rollbacks;
    private final Meter slowQueries;
    private final Meter checkpoints;

    /**
     * @param registry      where the metrics go
     * @param database      the database file (its name, without extension, names the metrics)
     * @param enabled       false records nothing (the slow-query log still works)
     * @param maxQueryNames distinct per-query timers before the overflow timer takes the rest
     * @param slowMillis    threshold of the slow-query log, 0 for none
     * @param logParameters whether the slow-query log shows bound values
     */
    public DatabaseMetrics(MetricRegistry registry, String database, boolean enabled, int maxQueryNames,
            long slowMillis, boolean logParameters) {
        this.registry = registry;
        this.database = database;
        this.prefix = "safesqlite." + shortName(database) + ".";
        this.enabled = enabled;
        this.maxQueryNames = maxQueryNames;
        this.slowNanos = slowMillis <= 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(slowMillis);
        this.logParameters = logParameters;
        this.otherQueries = timer("query.other");
        this.gateWait = timer("gate.wait");
        this.gateHold = timer("gate.hold");
        this.readerWait = timer("reader.wait");
        this.readerLoans = enabled ? registry.counter(prefix + "reader.loans") : new Counter();
        this.retries = meter("retries");
        this.busy = meter("busy");
        this.reroutes = meter("reroutes");
        this.rollbacks = meter("rollbacks");
        this.slowQueries = meter("slow-queries");
        this.checkpoints = meter("checkpoints");
    }

    /** The part of every metric name that names the database: its file name without extension. */
    public static String shortName(String database) {
        if (database.equals(":memory:")) {
            return "memory";
        }
        String file = Path.of(database).getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        return stem.replaceAll("[^A-Za-z0-9_-]", "_").toLowerCase(Locale.ROOT);
    }

    /** True when statements need timing at all: for metrics or for the slow-query log. */
    public boolean timing() {
        return enabled || slowNanos != Long.MAX_VALUE;
    }

    /** True when metrics are recorded. */
    public boolean enabled() {
        return enabled;
    }

    private Timer timer(String name) {
        return enabled ? registry.timer(prefix + name, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()))
                : new Timer();
    }

    private Meter meter(String name) {
        return enabled ? registry.meter(prefix + name) : new Meter();
    }

    /** Registers a gauge (replacing one of the same name left by an earlier engine). */
    public <T> void gauge(String name, Supplier<T> value) {
        if (enabled) {
            registry.remove(prefix + name);
            registry.register(prefix + name, (Gauge<T>) value::get);
        }
    }

    /**
     * Records one execution of {@code script}; logs it when it was slow.
     *
     * @param parameters the bound values, described only when they are logged; may be null
     */
    public void query(SqlScript script, long nanos, BoundValues parameters) {
        if (enabled) {
            queryTimer(script.normalized()).update(nanos, TimeUnit.NANOSECONDS);
        }
        if (nanos >= slowNanos) {
            slowQueries.mark();
            if (logParameters && parameters != null) {
                SLOW.warn("slow query on {} ({} ms): {} parameters {}", database, TimeUnit.NANOSECONDS.toMillis(nanos),
                        script.normalized(), parameters.describe());
            } else {
                SLOW.warn("slow query on {} ({} ms): {}", database, TimeUnit.NANOSECONDS.toMillis(nanos),
                        script.normalized());
            }
        }
    }

    private Timer queryTimer(String normalized) {
        Timer t = queries.get(normalized);
        if (t != null) {
            return t;
        }
        if (queries.size() >= maxQueryNames) {
            return otherQueries;
        }
        return queries.computeIfAbsent(normalized, n -> timer("query." + n));
    }

    /** Time a writer waited for the gate. */
    public void gateWaited(long nanos) {
        if (enabled) {
            gateWait.update(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Time the writer was held. */
    public void gateHeld(long nanos) {
        if (enabled) {
            gateHold.update(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A read was lent a reader. */
    public void readerLent() {
        if (enabled) {
            readerLoans.inc();
        }
    }

    /** Time a read waited for a reader when none was idle (including opening a new one). */
    public void readerWaited(long nanos) {
        if (enabled) {
            readerWait.update(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A busy or locked failure was met and will be retried. */
    public void retrying() {
        busy.mark();
        retries.mark();
    }

    /** A busy or locked failure was met and passed on (budget spent or not retryable here). */
    public void busy() {
        busy.mark();
    }

    /** A statement taken for a read ran again on the writer. */
    public void rerouted() {
        reroutes.mark();
    }

    /** A transaction was rolled back (explicitly, by close, or after a failed commit). */
    public void rolledBack() {
        rollbacks.mark();
    }

    /** A background checkpoint ran. */
    public void checkpointed() {
        checkpoints.mark();
    }

    /** Busy failures retried per second over the last minute. */
    public double retryRate() {
        return retries.getOneMinuteRate();
    }

    /** Number of re-routes since the engine opened. */
    public long rerouteCount() {
        return reroutes.getCount();
    }

    /** Removes every metric of this database from the registry. */
    public void remove() {
        registry.removeMatching(MetricFilter.startsWith(prefix));
    }
}
