package io.github.safesqlite.micrometer;

import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.SafeSqliteHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.SQLException;
import java.util.function.ToDoubleFunction;

/**
 * safesqlite's measures for Micrometer: the same ones the Dropwizard registry gets, named as
 * Micrometer users expect them ({@code safesqlite.query}, {@code safesqlite.gate.wait} ...) with a
 * {@code database} tag (the database's {@linkplain SafeSqliteDataSource#name() name}) instead of a
 * name per database, and query timers tagged {@code sql} with the normalized SQL, at most
 * {@code max_query_metrics} of them ({@code sql=other} takes the rest). Both registries hear the same
 * events; Dropwizard stays on unless {@code metrics=false}. Micrometer is an optional dependency:
 * only this package needs it.
 *
 * <pre>{@code
 * new SafeSqliteMetrics(dataSource).bindTo(meterRegistry);
 * }</pre>
 *
 * Spring Boot binds it by itself when Micrometer and safesqlite's data source are there.
 */
public final class SafeSqliteMetrics implements MeterBinder {

    private final SafeSqliteDataSource dataSource;
    private final Iterable<Tag> tags;
    private final double[] percentiles;

    /** Metrics of {@code dataSource}, tagged with its name and nothing else, publishing no percentiles. */
    public SafeSqliteMetrics(SafeSqliteDataSource dataSource) {
        this(dataSource, Tags.empty(), new double[0]);
    }

    /**
     * @param tags        added to every meter, beside {@code database}
     * @param percentiles published by every timer (for example 0.5, 0.99); none when empty
     */
    public SafeSqliteMetrics(SafeSqliteDataSource dataSource, Iterable<Tag> tags, double... percentiles) {
        this.dataSource = dataSource;
        this.tags = tags;
        this.percentiles = percentiles.clone();
    }

    /**
     * Registers the gauges and starts recording the database's events into {@code registry}.
     *
     * @throws IllegalStateException when the data source cannot be opened (the cause says why)
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        try {
            SafeSqliteConfig config = dataSource.getConfig();
            Tags all = Tags.of("database", dataSource.name()).and(tags);
            gauge(registry, all, "safesqlite.wal.bytes", "bytes", "size of the WAL file", SafeSqliteHealth::walBytes);
            gauge(registry, all, "safesqlite.wal.oldest.reader", "milliseconds",
                    "how long the reader lent out longest ago has been out", SafeSqliteHealth::oldestReaderMillis);
            gauge(registry, all, "safesqlite.gate.queued", null, "writers waiting for the writer now",
                    SafeSqliteHealth::writersQueued);
            gauge(registry, all, "safesqlite.readers.in.use", null, "readers lent out now", SafeSqliteHealth::readersInUse);
            gauge(registry, all, "safesqlite.readers.idle", null, "readers open and idle now", SafeSqliteHealth::readersIdle);
            gauge(registry, all, "safesqlite.checkpoint.starved", null,
                    "1 while checkpoints cannot complete because a reader keeps an old snapshot",
                    h -> h.checkpointStarved() ? 1 : 0);
            dataSource.addListener(new MicrometerListener(registry, all, percentiles, config.maxQueryMetrics(),
                    config.slowQueryThresholdMillis()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bind safesqlite's metrics: " + e.getMessage(), e);
        }
    }

    private void gauge(MeterRegistry registry, Tags all, String name, String unit, String description,
            ToDoubleFunction<SafeSqliteHealth> value) {
        Gauge.builder(name, dataSource, ds -> read(ds, value)).tags(all).baseUnit(unit).description(description)
                .register(registry);
    }

    /** A gauge of a closed (or failing) data source reads NaN, as Micrometer's gauges of a lost object do. */
    private static double read(SafeSqliteDataSource ds, ToDoubleFunction<SafeSqliteHealth> value) {
        try {
            SafeSqliteHealth h = ds.health();
            return h.closed() ? Double.NaN : value.applyAsDouble(h);
        } catch (SQLException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
