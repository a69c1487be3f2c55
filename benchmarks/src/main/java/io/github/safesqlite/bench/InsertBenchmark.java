package io.github.safesqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
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

/** Single-thread autocommit inserts with a reused PreparedStatement. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class InsertBenchmark {

    @Param({"plain", "safe"})
    public String impl;

    /** NORMAL, and FULL: a synced commit must cost safesqlite what it costs plain sqlite-jdbc. */
    @Param({"NORMAL", "FULL"})
    public String synchronous;

    private Fixture fixture;
    private Connection connection;
    private PreparedStatement insert;

    @Setup
    public void open() throws Exception {
        fixture = new Fixture(impl, synchronous);
        connection = fixture.hold();
        insert = connection.prepareStatement(ContendedInsertBenchmark.INSERT);
    }

    @Benchmark
    public int insert() throws SQLException {
        return insert(insert);
    }

    /** One autocommit insert through {@code insert}, a prepared {@link ContendedInsertBenchmark#INSERT}. */
    static int insert(PreparedStatement insert) throws SQLException {
        insert.setString(1, "payload");
        return insert.executeUpdate();
    }

    @TearDown
    public void close() throws SQLException {
        insert.close();
        connection.close();
        fixture.close();
    }
}
