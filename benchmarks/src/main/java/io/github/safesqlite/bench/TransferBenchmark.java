package io.github.safesqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
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
 * Read-then-write transfers, with prepared statements and with SQL carrying literals: plain
 * sqlite-jdbc on one thread (the reference), and on 8 threads the set-ups a user would choose
 * between: one connection behind a fair lock, HikariCP with a pool of one, safesqlite, and
 * safesqlite running each transfer as a batched {@code ds.inTransaction} unit, and as an
 * {@code inTransactionAsync} unit each thread waits for. Plain with 8 threads
 * is left out: most of its transfers fail. safesqlite on one thread separates the wrapper's own cost
 * from contention.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransferBenchmark {

    /** Plain sqlite-jdbc, one thread. */
    @State(Scope.Thread)
    public static class Plain {
        @Param({"prepared", "literal"})
        public String sql;
        Fixture fixture;
        Connection connection;

        @Setup
        public void open() throws Exception {
            fixture = new Fixture("plain");
            connection = fixture.plain();
        }

        @TearDown
        public void close() throws SQLException {
            connection.close();
            fixture.close();
        }
    }

    /** safesqlite alone, for the one-thread run. */
    @State(Scope.Benchmark)
    public static class Alone {
        @Param({"prepared", "literal"})
        public String sql;
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

    /** A set-up shared by the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"locked", "hikari1", "safe", "safe-units", "safe-async"})
        public String impl;
        @Param({"prepared", "literal"})
        public String sql;
        Fixture fixture;

        @Setup
        public void open() throws Exception {
            fixture = new Fixture(impl);
        }

        @TearDown
        public void close() {
            fixture.close();
        }
    }

    @Benchmark
    @Threads(1)
    public int plainOneThread(Plain plain) throws SQLException {
        return Fixture.inTransaction(plain.connection, c -> transfer(c, plain.sql.equals("literal")));
    }

    /** The same transfer through safesqlite on one thread: the wrapper's cost without contention. */
    @Benchmark
    @Threads(1)
    public int safeOneThread(Alone alone) throws SQLException {
        boolean literal = alone.sql.equals("literal");
        return alone.fixture.run(true, c -> transfer(c, literal));
    }

    @Benchmark
    @Threads(8)
    public int eightThreads(Shared shared) throws SQLException {
        boolean literal = shared.sql.equals("literal");
        return shared.fixture.run(true, c -> transfer(c, literal));
    }

    static int transfer(Connection c, boolean literal) throws SQLException {
        int from = account();
        int to = account();
        if (literal) {
            try (Statement st = c.createStatement()) {
                long balance;
                try (ResultSet rs = st.executeQuery("SELECT balance FROM account WHERE id = " + from)) {
                    rs.next();
                    balance = rs.getLong(1);
                }
                if (balance >= 5) {
                    st.executeUpdate("UPDATE account SET balance = balance - 5 WHERE id = " + from);
                    st.executeUpdate("UPDATE account SET balance = balance + 5 WHERE id = " + to);
                }
                return 1;
            }
        }
        try (PreparedStatement read = c.prepareStatement("SELECT balance FROM account WHERE id = ?");
             PreparedStatement move = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
            return transfer(read, move, from, to);
        }
    }

    /** A random account's id. */
    static int account() {
        return 1 + ThreadLocalRandom.current().nextInt(Fixture.ACCOUNTS);
    }

    /**
     * The prepared transfer on statements the caller prepared: {@code read} selects a balance by id,
     * {@code move} adds an amount to one.
     */
    static int transfer(PreparedStatement read, PreparedStatement move, int from, int to) throws SQLException {
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
        return 1;
    }
}
