package io.github.safesqlite.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.github.safesqlite.SafeSqliteListener;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Dropwizard metrics of one database, all named {@code safesqlite.<database>.<metric>}: the
 * listener that turns events into timers, meters and counters, plus the gauges the engine
 * registers. Per-query timers are keyed by normalized SQL, so no value from a statement ever
 * reaches a metric name, and there are at most {@code max_query_metrics} of them; the rest share
 * {@code query.other}. Timers use a lock-free decaying reservoir, which costs no lock under
 * concurrency. Internal to safesqlite.
 */
public final class DatabaseMetrics implements SafeSqliteListener {

    private final MetricRegistry registry;
    private final String prefix;
    private final boolean enabled;
    private final long slowNanos;
    private final BoundedNames<Timer> queries;
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
    private final Histogram groupSizes;
    private final Meter optimisticMoves;
    private final Meter optimisticConflicts;

    /**
     * @param registry      where the metrics go
     * @param name          the database's name, unique in the JVM: metrics are {@code safesqlite.<name>.*}
     * @param enabled       false registers nothing (meters still count, for the health snapshot)
     * @param maxQueryNames distinct per-query timers before the overflow timer takes the rest
     * @param slowMillis    statements at least this slow count in {@code slow-queries}; 0 for none
     */
    public DatabaseMetrics(MetricRegistry registry, String name, boolean enabled, int maxQueryNames,
            long slowMillis) {
        this.registry = registry;
        this.prefix = "safesqlite." + name + ".";
        this.enabled = enabled;
        this.slowNanos = SlowQueryLog.thresholdNanos(slowMillis);
        this.queries = new BoundedNames<>(maxQueryNames, timer("query.other"), n -> timer("query." + n));
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
        this.groupSizes = histogram("group.size");
        this.optimisticMoves = meter("optimistic.moved");
        this.optimisticConflicts = meter("optimistic.conflicts");
    }

    /** The part of every metric name that names the database: its file name without extension. */
    public static String shortName(String database) {
        if (database.equals(":memory:")) {
            return "memory";
        }
        if (database.isEmpty()) {
            return "temporary";
        }
        String file = Path.of(database).getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        return stem.replaceAll("[^A-Za-z0-9_-]", "_").toLowerCase(Locale.ROOT);
    }

    /** Statements are timed only when metrics are recorded or slow ones are counted. */
    @Override
    public boolean timesStatements() {
        return enabled || slowNanos != Long.MAX_VALUE;
    }

    private Timer timer(String name) {
        return enabled ? registry.timer(prefix + name, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()))
                : new Timer();
    }

    private Histogram histogram(String name) {
        return enabled ? registry.histogram(prefix + name, () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()))
                : new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build());
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

    @Override
    public void statementExecuted(String database, String normalizedSql, long nanos, Throwable failure,
            BoundValues parameters) {
        if (enabled) {
            queries.get(normalizedSql).update(nanos, TimeUnit.NANOSECONDS);
        }
        if (nanos >= slowNanos && failure == null) {
            slowQueries.mark();
        }
    }

    @Override
    public void gateWaited(String database, long nanos) {
        if (enabled) {
            gateWait.update(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void gateHeld(String database, long nanos) {
        if (enabled) {
            gateHold.update(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void readerLent(String database) {
        if (enabled) {
            readerLoans.inc();
        }
    }

    @Override
    public void readerWaited(String database, long nanos) {
        if (enabled) {
            readerWait.update(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void busy(String database, boolean retrying) {
        busy.mark();
        if (retrying) {
            retries.mark();
        }
    }

    @Override
    public void rerouted(String database) {
        reroutes.mark();
    }

    @Override
    public void rolledBack(String database) {
        rollbacks.mark();
    }

    @Override
    public void writesGrouped(String database, int statements) {
        groupSizes.update(statements);
    }

    @Override
    public void optimisticWrite(String database, boolean conflicted) {
        (conflicted ? optimisticConflicts : optimisticMoves).mark();
    }

    @Override
    public void checkpointed(String database, String mode, boolean complete) {
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
