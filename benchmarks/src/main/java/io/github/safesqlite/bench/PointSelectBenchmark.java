package io.github.safesqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/** Single-thread point select by primary key with a reused PreparedStatement: the wrapper's overhead. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class PointSelectBenchmark {

    /** The point select, by primary key. */
    static final String SQL = "SELECT name FROM item WHERE id = ?";

    @Param({"plain", "safe", "safe-no-metrics"})
    public String impl;

    private Fixture fixture;
    private Connection connection;
    private PreparedStatement select;
    private int next;

    @Setup
    public void open() throws Exception {
        fixture = new Fixture(impl);
        connection = fixture.hold();
        select = connection.prepareStatement(SQL);
    }

    @Benchmark
    public String select() throws SQLException {
        return select(select, next++);
    }

    /** Reads one item's name through {@code select} ({@link #SQL}), the {@code n}th of a cycle over 8192 ids. */
    static String select(PreparedStatement select, int n) throws SQLException {
        select.setInt(1, 1 + (n & 8191));
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @TearDown
    public void close() throws SQLException {
        select.close();
        connection.close();
        fixture.close();
    }
}
