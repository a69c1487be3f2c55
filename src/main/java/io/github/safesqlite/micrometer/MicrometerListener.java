package io.github.safesqlite.micrometer;

import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.metrics.BoundedNames;
import io.github.safesqlite.metrics.SlowQueryLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Turns one database's events into Micrometer meters, as {@code metrics/DatabaseMetrics} turns them
 * into Dropwizard ones: the same measures, the same bound on per-query timers, no literal from SQL
 * in any name or tag.
 */
final class MicrometerListener implements SafeSqliteListener {

    private final MeterRegistry registry;
    private final Tags tags;
    private final double[] percentiles;
    private final long slowNanos;
    private final BoundedNames<Timer> queries;
    private final Timer gateWait;
    private final Timer gateHold;
    private final Timer readerWait;
    private final Counter readerLoans;
    private final Counter retries;
    private final Counter busy;
    private final Counter reroutes;
    private final Counter rollbacks;
    private final Counter slowQueries;
    private final Counter checkpoints;
    private final Counter optimisticMoved;
    private final Counter optimisticConflicts;
    private final DistributionSummary groupSize;

    MicrometerListener(MeterRegistry registry, Tags tags, double[] percentiles, int maxQueryNames, long slowMillis) {
        this.registry = registry;
        this.tags = tags;
        this.percentiles = percentiles;
        this.slowNanos = SlowQueryLog.thresholdNanos(slowMillis);
        this.queries = new BoundedNames<>(maxQueryNames, query("other"), this::query);
        this.gateWait = timer("safesqlite.gate.wait", "time a holder of the writer gate waited for it");
        this.gateHold = timer("safesqlite.gate.hold", "time a holder of the writer gate held it");
        this.readerWait = timer("safesqlite.reader.wait", "time a read waited for a reader when none was idle");
        this.readerLoans = counter("safesqlite.reader.loans", "reads lent a reader");
        this.retries = counter("safesqlite.retries", "busy or locked failures retried");
        this.busy = counter("safesqlite.busy", "busy or locked failures met");
        this.reroutes = counter("safesqlite.reroutes", "statements taken for reads that ran again on the writer");
        this.rollbacks = counter("safesqlite.rollbacks", "transactions rolled back");
        this.slowQueries = counter("safesqlite.slow.queries", "statements slower than slow_query_threshold");
        this.checkpoints = counter("safesqlite.checkpoints", "background checkpoints run");
        this.optimisticMoved = counter("safesqlite.optimistic.moved",
                "optimistic transactions that moved to the writer at their first write");
        this.optimisticConflicts = counter("safesqlite.optimistic.conflicts",
                "optimistic transactions rolled back with SQLITE_BUSY_SNAPSHOT at their first write");
        this.groupSize = DistributionSummary.builder("safesqlite.group.size").tags(tags)
                .description("writes and batched units that shared one COMMIT").publishPercentiles(percentiles)
                .register(registry);
    }

    private Timer query(String normalizedSql) {
        return Timer.builder("safesqlite.query").tags(tags).tag("sql", normalizedSql)
                .description("statements executed, by normalized SQL").publishPercentiles(percentiles).register(registry);
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name).tags(tags).description(description).publishPercentiles(percentiles).register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).tags(tags).description(description).register(registry);
    }

    @Override
    public void statementExecuted(String database, String normalizedSql, long nanos, Throwable failure,
            BoundValues parameters) {
        queries.get(normalizedSql).record(nanos, TimeUnit.NANOSECONDS);
        if (nanos >= slowNanos && failure == null) {
            slowQueries.increment();
        }
    }

    @Override
    public void gateWaited(String database, long nanos) {
        gateWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void gateHeld(String database, long nanos) {
        gateHold.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void readerLent(String database) {
        readerLoans.increment();
    }

    @Override
    public void readerWaited(String database, long nanos) {
        readerWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void busy(String database, boolean retrying) {
        busy.increment();
        if (retrying) {
            retries.increment();
        }
    }

    @Override
    public void rerouted(String database) {
        reroutes.increment();
    }

    @Override
    public void rolledBack(String database) {
        rollbacks.increment();
    }

    @Override
    public void writesGrouped(String database, int statements) {
        groupSize.record(statements);
    }

    @Override
    public void optimisticWrite(String database, boolean conflicted) {
        (conflicted ? optimisticConflicts : optimisticMoved).increment();
    }

    @Override
    public void checkpointed(String database, String mode, boolean complete) {
        checkpoints.increment();
    }
}
