package io.github.safesqlite.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.safesqlite.Databases;
import io.github.safesqlite.SafeSqliteDataSource;
import io.github.safesqlite.testing.Await;
import io.github.safesqlite.testing.TestThreads;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Flight Recorder recording of real work holds safesqlite's events, with the database's
 * name and normalized SQL, and JFR's own threshold setting filters statements.
 */
class JfrEventsTest {

    @TempDir
    Path dir;

    private static final List<String> EVENTS = List.of("Statement", "GateWait", "GateHold", "GroupCommit", "Busy",
            "ReaderWait", "Checkpoint");

    private List<RecordedEvent> record(Duration statementThreshold, SafeSqliteDataSource ds) throws Exception {
        Path file = dir.resolve("recording-" + statementThreshold.toMillis() + ".jfr");
        try (Recording recording = new Recording()) {
            for (String name : EVENTS) {
                recording.enable("io.github.safesqlite." + name).withThreshold(name.equals("Statement")
                        ? statementThreshold : Duration.ZERO);
            }
            recording.start();
            work(ds);
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("io.github.safesqlite.")).collect(Collectors.toList());
    }

    /** Statements, reads and writes, and two writes queued behind a transaction so that they share a COMMIT. */
    private static void work(SafeSqliteDataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            Databases.exec(c, "INSERT INTO t VALUES ('secret-value')");
            Databases.column(c, "SELECT v FROM t WHERE v = 'secret-value'");
        }
        try (Connection blocker = ds.getConnection()) {
            blocker.setAutoCommit(false);
            Databases.exec(blocker, "INSERT INTO t VALUES ('blocker')");
            TestThreads threads = new TestThreads();
            for (int i = 0; i < 2; i++) {
                int n = i;
                threads.start("queued-" + n, () -> {
                    try (Connection c = ds.getConnection()) {
                        Databases.exec(c, "INSERT INTO t VALUES ('queued')");
                    }
                });
                Await.until("write " + n + " queued", () -> {
                    try {
                        return ds.health().writersQueued() == n + 1;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            blocker.commit();
            threads.joinAll();
        }
    }

    @Test
    void aRecordingHoldsTheEventsWithTheDatabaseAndNormalizedSql() throws Exception {
        assertTrue(JfrEvents.AVAILABLE);
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "recorded.db")) {
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "CREATE TABLE t(v TEXT)");
            }
            List<RecordedEvent> events = record(Duration.ZERO, ds);
            Map<String, List<RecordedEvent>> byType = events.stream()
                    .collect(Collectors.groupingBy(e -> e.getEventType().getName().substring("io.github.safesqlite.".length())));
            for (String name : List.of("Statement", "GateWait", "GateHold", "GroupCommit")) {
                assertTrue(byType.containsKey(name), name + " recorded; got " + byType.keySet());
            }
            for (RecordedEvent e : events) {
                assertEquals("recorded", e.getString("database"), e.toString());
            }
            List<String> sql = byType.get("Statement").stream().map(e -> e.getString("sql")).collect(Collectors.toList());
            assertTrue(sql.contains("INSERT INTO t VALUES (?)"), sql.toString());
            assertTrue(sql.stream().noneMatch(s -> s.contains("secret")), "no literal reaches a recording: " + sql);
            assertTrue(byType.get("GroupCommit").stream().anyMatch(e -> e.getInt("writes") == 2),
                    "the two queued writes shared one COMMIT");
            assertFalse(byType.get("Statement").get(0).getDuration().isNegative());
        }
    }

    @Test
    void jfrsOwnThresholdFiltersStatements() throws Exception {
        try (SafeSqliteDataSource ds = Databases.dataSource(dir, "threshold.db")) {
            try (Connection c = ds.getConnection()) {
                Databases.exec(c, "CREATE TABLE t(v TEXT)");
            }
            List<RecordedEvent> events = record(Duration.ofHours(1), ds);
            assertTrue(events.stream().noneMatch(e -> e.getEventType().getName().endsWith(".Statement")),
                    "no statement took an hour");
            assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().endsWith(".GateHold")),
                    "the other events are still there");
        }
    }
}
