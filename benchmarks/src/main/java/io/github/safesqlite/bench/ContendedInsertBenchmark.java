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
 * 8 threads of autocommit inserts, with NORMAL and with FULL: plain sqlite-jdbc with a connection
 * per thread, HikariCP (pool of 10, and of 1), one connection behind a fair lock, safesqlite (a
 * connection borrowed per insert, as applications do), its {@code executeAsync} (waited for), and
 * the plain program with only its URL changed to {@code jdbc:safesqlite:} ({@code safe-url}).
 * Sampled, so the result has both the rate and the latency percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(8)
public class ContendedInsertBenchmark {

    static final String INSERT = "INSERT INTO event(payload) VALUES (?)";

    /** The database, shared by the 8 threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"plain", "hikari", "hikari1", "locked", "safe", "safe-async", "safe-url"})
        public String impl;
        @Param({"NORMAL", "FULL"})
        public String synchronous;
        Fixture fixture;

        @Setup
        public void open() throws Exception {
            fixture = new Fixture(impl, synchronous);
        }

        @TearDown
        public void close() {
            fixture.close();
        }
    }

    /** A thread's own connection (plain, or safesqlite through its URL). */
    @State(Scope.Thread)
    public static class PerThread {
        Connection own;
        PreparedStatement insert;

        @Setup
        public void open(Shared shared) throws SQLException {
            if (shared.fixture.perThread()) {
                own = shared.fixture.own();
                insert = own.prepareStatement(INSERT);
            }
        }

        @TearDown
        public void close() throws SQLException {
            if (own != null) {
                insert.close();
                own.close();
            }
        }
    }

    @Benchmark
    public long insert(Shared shared, PerThread thread) throws SQLException {
        if (thread.own != null) {
            return InsertBenchmark.insert(thread.insert);
        }
        if (shared.impl.equals("safe-async")) {
            return shared.fixture.safe().executeAsync(INSERT, "payload").join();
        }
        return insert(shared.fixture);
    }

    /** One autocommit insert the way an application of {@code fixture}'s set-up runs it: on a connection borrowed for it. */
    static int insert(Fixture fixture) throws SQLException {
        return fixture.run(false, c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                return InsertBenchmark.insert(ps);
            }
        });
    }
}
