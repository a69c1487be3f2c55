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

/**
 * The writer's pace for 8 callers that each wait for their own COMMIT: the SQL of a group, run by one
 * thread of plain sqlite-jdbc with no hand-off at all. {@code k} transfers, each in its own
 * SAVEPOINT, or {@code k} inserts, then one COMMIT; one operation is one group, so transfers or
 * inserts a second are {@code k} times the score. With 8 callers a group holds at most 8, so with
 * {@code k = 8} this is the writer's own pace, what group commit and batched units would reach if
 * handing results back cost nothing ({@code BenchMain} prints it beside their targets); {@code k = 6}
 * is the group size they reach.
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
    // Every statement prepared once, as safesqlite's statement cache has them: prepared per call, as
    // the transfers elsewhere are, sqlite-jdbc compiles each again, and batched units outran that pace.
    private PreparedStatement begin;
    private PreparedStatement savepoint;
    private PreparedStatement release;
    private PreparedStatement commit;
    private PreparedStatement insert;
    private PreparedStatement read;
    private PreparedStatement move;

    @Setup
    public void open() throws Exception {
        fixture = new Fixture("plain");
        connection = fixture.plain();
        begin = connection.prepareStatement("BEGIN IMMEDIATE");
        savepoint = connection.prepareStatement("SAVEPOINT unit");
        release = connection.prepareStatement("RELEASE unit");
        commit = connection.prepareStatement("COMMIT");
        read = connection.prepareStatement("SELECT balance FROM account WHERE id = ?");
        move = connection.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?");
        insert = connection.prepareStatement("INSERT INTO event(payload) VALUES (?)");
    }

    @Benchmark
    public int transfers() throws SQLException {
        begin.execute();
        for (int i = 0; i < k; i++) {
            savepoint.execute();
            TransferBenchmark.transfer(read, move, TransferBenchmark.account(), TransferBenchmark.account());
            release.execute();
        }
        commit.execute();
        return k;
    }

    @Benchmark
    public int inserts() throws SQLException {
        begin.execute();
        for (int i = 0; i < k; i++) {
            insert.setString(1, "payload");
            insert.executeUpdate();
        }
        commit.execute();
        return k;
    }

    @TearDown
    public void close() throws SQLException {
        for (PreparedStatement ps : new PreparedStatement[] {begin, savepoint, release, commit, insert, read, move}) {
            ps.close();
        }
        connection.close();
        fixture.close();
    }
}
