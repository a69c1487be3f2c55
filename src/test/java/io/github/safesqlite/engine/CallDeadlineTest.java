package io.github.safesqlite.engine;

import static io.github.safesqlite.Databases.exec;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.SafeSqliteConfig;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.jdbc.LogicalConnection;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.ManualClock;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One JDBC call waits at most call_timeout in all, however its waits add up (writer gate, then
 * retries against a lock another process holds). Time is a {@link ManualClock}: the gate's wait and
 * the retries' back-off are measured on it, so the bound is checked exactly, not raced.
 */
class CallDeadlineTest {

    private static final Pattern GAVE_UP = Pattern.compile("gave up after \\d+ attempt\\(s\\) in (\\d+) ms");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private Engine engine;
    private Connection outside;

    @BeforeEach
    void open() throws Exception {
        Path db = dir.resolve("deadline.db");
        SafeSqliteConfig config = SafeSqliteDataSource.builder().path(db.toString()).callTimeoutMillis(1_000)
                .gateTimeoutMillis(5_000).retryBudgetMillis(10_000).busyTimeoutMillis(1).build();
        engine = Engine.open(config, db.toString(), "deadline", clock);
        try (Connection c = LogicalConnection.open(engine, () -> { })) {
            exec(c, "CREATE TABLE t(v TEXT)");
        }
        outside = DriverManager.getConnection("jdbc:sqlite:" + db); // another process, as the sqlite3 shell
        exec(outside, "BEGIN EXCLUSIVE");
    }

    @AfterEach
    void close() throws Exception {
        outside.close();
        engine.close();
    }

    private static long waitedMillis(SQLException e) {
        Matcher m = GAVE_UP.matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        return Long.parseLong(m.group(1));
    }

    @Test
    void retriesStopAtTheCallsDeadlineBeforeTheRetryBudget() throws Exception {
        try (Connection c = LogicalConnection.open(engine, () -> { })) {
            SQLException e = assertThrows(SQLException.class, () -> exec(c, "INSERT INTO t VALUES ('x')"));
            long waited = waitedMillis(e);
            assertTrue(waited <= 1_000, "waited " + waited + " ms past call_timeout (1000 ms); retry_budget is 10 s");
            assertTrue(waited > 1_000 - 50, "gave up at " + waited + " ms, while a back-off of at most 50 ms still fitted");
        }
    }

    @Test
    void aWaitForTheGateLeavesTheRetriesOnlyWhatIsLeftOfTheCall() throws Exception {
        Lease held = engine.writer("another connection"); // holds the gate, touches no file
        AtomicReference<SQLException> failure = new AtomicReference<>();
        TestThreads threads = new TestThreads();
        try (Connection c = LogicalConnection.open(engine, () -> { })) {
            Thread writer = threads.start("writer", () -> {
                try {
                    exec(c, "INSERT INTO t VALUES ('late')");
                } catch (SQLException e) {
                    failure.set(e);
                }
            });
            Await.inFrame(writer, "io.github.safesqlite.engine.WriterGate", "await");
            clock.advanceMillis(600); // 600 ms of the call spent waiting for the gate
            held.release(); // the write gets the gate, then meets the other process's lock and retries
            threads.joinAll();
        }
        long waited = waitedMillis(failure.get());
        assertTrue(waited <= 400, "retried " + waited + " ms after 600 ms at the gate: past call_timeout (1000 ms)");
    }
}
