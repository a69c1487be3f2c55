package io.github.safesqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * 8 threads of autocommit inserts: plain sqlite-jdbc with a connection per thread, HikariCP (a
 * connection borrowed per insert, as applications do) and safesqlite (likewise). Sampled, so the
 * result has both the rate and the latency percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(8)
public class ContendedInsertBenchmark {

    /** The database, shared by the 8 threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"plain", "hikari", "safe"})
        public String impl;
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

    /** A plain thread's own connection. */
    @State(Scope.Thread)
    public static class PerThread {
        Connection own;
        PreparedStatement insert;

        @Setup
        public void open(Shared shared) throws SQLException {
            if (shared.fixture.pool() == null) {
                own = shared.fixture.plain();
                insert = own.prepareStatement("INSERT INTO event(payload) VALUES (?)");
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
    public int insert(Shared shared, PerThread thread) throws SQLException {
        DataSource pool = shared.fixture.pool();
        if (pool == null) {
            thread.insert.setString(1, "payload");
            return thread.insert.executeUpdate();
        }
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO event(payload) VALUES (?)")) {
            ps.setString(1, "payload");
            return ps.executeUpdate();
        }
    }
}
