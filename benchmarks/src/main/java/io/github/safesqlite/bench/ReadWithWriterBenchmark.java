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
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Point-select throughput of 1, 2, 4 and 8 reader threads while one writer inserts all along. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReadWithWriterBenchmark {

    /** The database, shared by the group. */
    @State(Scope.Group)
    public static class Shared {
        @Param({"plain", "safe"})
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

    /** Each thread's plain connection. */
    @State(Scope.Thread)
    public static class Own {
        Connection connection;

        @Setup
        public void open(Shared shared) throws SQLException {
            connection = shared.fixture.pool() == null ? shared.fixture.plain() : null;
        }

        @TearDown
        public void close() throws SQLException {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Work on one connection. */
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on the thread's own plain connection, or on one borrowed for it from the pool. */
    private static <T> T onConnection(Shared shared, Own own, Work<T> work) throws SQLException {
        DataSource pool = shared.fixture.pool();
        if (pool == null) {
            return work.run(own.connection);
        }
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    private static Object read(Shared shared, Own own) throws SQLException {
        return onConnection(shared, own, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM item WHERE id = ?")) {
                ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(Fixture.ROWS));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private static int write(Shared shared, Own own) throws SQLException {
        return onConnection(shared, own, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event(payload) VALUES ('w')")) {
                return ps.executeUpdate();
            }
        });
    }

    @Benchmark @Group("readers1") @GroupThreads(1)
    public Object readers1Read(Shared s, Own o) throws SQLException {
        return read(s, o);
    }

    @Benchmark @Group("readers1") @GroupThreads(1)
    public int readers1Write(Shared s, Own o) throws SQLException {
        return write(s, o);
    }

    @Benchmark @Group("readers2") @GroupThreads(2)
    public Object readers2Read(Shared s, Own o) throws SQLException {
        return read(s, o);
    }

    @Benchmark @Group("readers2") @GroupThreads(1)
    public int readers2Write(Shared s, Own o) throws SQLException {
        return write(s, o);
    }

    @Benchmark @Group("readers4") @GroupThreads(4)
    public Object readers4Read(Shared s, Own o) throws SQLException {
        return read(s, o);
    }

    @Benchmark @Group("readers4") @GroupThreads(1)
    public int readers4Write(Shared s, Own o) throws SQLException {
        return write(s, o);
    }

    @Benchmark @Group("readers8") @GroupThreads(8)
    public Object readers8Read(Shared s, Own o) throws SQLException {
        return read(s, o);
    }

    @Benchmark @Group("readers8") @GroupThreads(1)
    public int readers8Write(Shared s, Own o) throws SQLException {
        return write(s, o);
    }
}
