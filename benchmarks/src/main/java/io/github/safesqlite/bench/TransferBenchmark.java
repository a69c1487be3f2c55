package io.github.safesqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Read-then-write transfers: plain sqlite-jdbc on one thread (the target's reference) against
 * safesqlite on 8 threads, and on one thread to separate the wrapper's own cost from contention.
 * Plain with 8 threads is left out: most of its transfers fail.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransferBenchmark {

    /** Plain sqlite-jdbc, one thread. */
    @State(Scope.Thread)
    public static class Plain {
        Fixture fixture;
        Connection connection;

        @Setup
        public void open() throws Exception {
            fixture = new Fixture("plain");
            connection = fixture.plain();
            connection.setAutoCommit(false);
        }

        @TearDown
        public void close() throws SQLException {
            connection.close();
            fixture.close();
        }
    }

    /** safesqlite, shared by the 8 threads. */
    @State(Scope.Benchmark)
    public static class Safe {
        Fixture fixture;

        @Setup
        public void open() throws Exception {
            fixture = new Fixture("safe");
        }

        @TearDown
        public void close() {
            fixture.close();
        }
    }

    @Benchmark
    @Threads(1)
    public void plainOneThread(Plain plain) throws SQLException {
        transfer(plain.connection);
    }

    /** The same transfer through safesqlite on one thread: the wrapper's cost without contention. */
    @Benchmark
    @Threads(1)
    public void safeOneThread(Safe safe) throws SQLException {
        safeEightThreads(safe);
    }

    @Benchmark
    @Threads(8)
    public void safeEightThreads(Safe safe) throws SQLException {
        DataSource ds = safe.fixture.pool();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            transfer(c);
        }
    }

    static void transfer(Connection c) throws SQLException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int from = 1 + r.nextInt(Fixture.ACCOUNTS);
        int to = 1 + r.nextInt(Fixture.ACCOUNTS);
        try (PreparedStatement read = c.prepareStatement("SELECT balance FROM account WHERE id = ?");
             PreparedStatement move = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
            read.setInt(1, from);
            long balance;
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                balance = rs.getLong(1);
            }
            if (balance >= 5) {
                move.setInt(1, -5);
                move.setInt(2, from);
                move.executeUpdate();
                move.setInt(1, 5);
                move.setInt(2, to);
                move.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }
}
