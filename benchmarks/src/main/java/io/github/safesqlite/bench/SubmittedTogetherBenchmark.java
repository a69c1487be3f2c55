package io.github.safesqlite.bench;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * One thread that submits {@value #AT_ONCE} inserts through {@code executeAsync} and then waits for
 * all of them, as a job runner or an event recorder does: the asynchronous writer's pace when it is
 * not kept waiting for callers. Compared with plain sqlite-jdbc inserting one by one on one thread
 * ({@code InsertBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class SubmittedTogetherBenchmark {

    static final int AT_ONCE = 256;

    @Param({"NORMAL", "FULL"})
    public String synchronous;

    private Fixture fixture;
    @SuppressWarnings("unchecked")
    private final CompletableFuture<Long>[] pending = new CompletableFuture[AT_ONCE];

    @Setup
    public void open() throws Exception {
        fixture = new Fixture("safe-async", synchronous);
    }

    @Benchmark
    @OperationsPerInvocation(AT_ONCE)
    public long inserts() throws SQLException {
        for (int i = 0; i < AT_ONCE; i++) {
            pending[i] = fixture.safe().executeAsync("INSERT INTO event(payload) VALUES (?)", "payload");
        }
        long n = 0;
        for (CompletableFuture<Long> f : pending) {
            n += f.join();
        }
        return n;
    }

    @TearDown
    public void close() {
        fixture.close();
    }
}
