package io.github.safesqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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

/**
 * The ceiling on 8 callers that each wait for their own COMMIT: the SQL of a group, run by one
 * thread of plain sqlite-jdbc with no hand-off at all. {@code k} transfers, each in its own
 * SAVEPOINT, or {@code k} inserts, then one COMMIT; one operation is one group, so transfers or
 * inserts a second are {@code k} times the score. With 8 callers a group holds at most 8, so with
 * {@code k = 8} this is the writer's own pace, which group commit and batched units cannot pass
 * ({@code BenchMain} prints it beside their targets); {@code k = 6} is the group size they reach.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class GroupedWorkBenchmark {

    @Param({"6", "8"})
    public int k;

    private Fixture fixture;
    private Connection connection;
    private Statement control;
    private PreparedStatement insert;

    @Setup
    public void open() throws Exception {
        fixture = new Fixture("plain");
        connection = fixture.plain();
        control = connection.createStatement();
        insert = connection.prepareStatement("INSERT INTO event(payload) VALUES (?)");
    }

    @Benchmark
    public int transfers() throws SQLException {
        control.execute("BEGIN IMMEDIATE");
        for (int i = 0; i < k; i++) {
            control.execute("SAVEPOINT unit");
            TransferBenchmark.transfer(connection, false);
            control.execute("RELEASE unit");
        }
        control.execute("COMMIT");
        return k;
    }

    @Benchmark
    public int inserts() throws SQLException {
        control.execute("BEGIN IMMEDIATE");
        for (int i = 0; i < k; i++) {
            insert.setString(1, "payload");
            insert.executeUpdate();
        }
        control.execute("COMMIT");
        return k;
    }

    @TearDown
    public void close() throws SQLException {
        insert.close();
        control.close();
        connection.close();
        fixture.close();
    }
}
