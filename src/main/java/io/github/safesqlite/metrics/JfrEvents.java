package io.github.safesqlite.metrics;

import io.github.safesqlite.SafeSqliteListener;
import io.github.safesqlite.sql.SqlScript;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * safesqlite's JDK Flight Recorder events, enabled and thresholded through JFR's own settings
 * ({@code -XX:StartFlightRecording}, a {@code .jfc} file, or a {@code Recording}). Each carries the
 * database's name; statements carry their normalized SQL, so no literal from SQL reaches a
 * recording. With JFR off, an event is an object the JIT removes, as JFR intends: this costs
 * nothing. A runtime without the {@code jdk.jfr} module (a trimmed jlink image) gets none.
 * Internal to safesqlite; the event names and fields are listed in the README.
 */
public final class JfrEvents implements SafeSqliteListener {

    /** False on a runtime without {@code jdk.jfr}: nothing here is touched then. */
    public static final boolean AVAILABLE = available();

    private static boolean available() {
        try {
            Class.forName("jdk.jfr.Event", false, JfrEvents.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** True once Flight Recorder has been started in this JVM: only then can an event be recorded. */
    public static boolean recording() {
        return AVAILABLE && jdk.jfr.FlightRecorder.isInitialized();
    }

    private final String database;

    /** Events of the database named {@code database}. */
    public JfrEvents(String database) {
        this.database = database;
    }

    /** A statement's execution, timed by JFR itself so that JFR's {@code threshold} setting applies (default 10 ms). */
    @Name("io.github.safesqlite.Statement")
    @Label("safesqlite Statement")
    @Category({"safesqlite"})
    @Description("One JDBC execution, from the call to its outcome")
    @Threshold("10 ms")
    @StackTrace(true)
    public static final class Statement extends Event {
        @Label("Database")
        String database;
        @Label("SQL")
        @Description("The statement with every literal and parameter replaced by ?")
        String sql;
        @Label("Failed")
        boolean failed;
    }

    /** Starts a statement's event: call {@link #statementEnded} with it when the execution ends. */
    public static Statement statementStarted() {
        Statement e = new Statement();
        e.begin();
        return e;
    }

    /** Ends a statement's event, recording it when JFR asks for it. */
    public static void statementEnded(Statement e, String database, SqlScript script, Throwable failure) {
        if (e.shouldCommit()) {
            e.database = database;
            e.sql = script.normalized();
            e.failed = failure != null;
            e.commit();
        }
    }

    @Name("io.github.safesqlite.GateWait")
    @Label("safesqlite Writer Gate Wait")
    @Category({"safesqlite"})
    @Description("A writer waited for the writer gate")
    @StackTrace(false)
    static final class GateWait extends Event {
        @Label("Database")
        String database;
        @Label("Waited")
        @Timespan(Timespan.NANOSECONDS)
        long waited;
    }

    @Name("io.github.safesqlite.GateHold")
    @Label("safesqlite Writer Gate Hold")
    @Category({"safesqlite"})
    @Description("A holder of the writer gate let it go")
    @StackTrace(false)
    static final class GateHold extends Event {
        @Label("Database")
        String database;
        @Label("Held")
        @Timespan(Timespan.NANOSECONDS)
        long held;
    }

    @Name("io.github.safesqlite.ReaderWait")
    @Label("safesqlite Reader Wait")
    @Category({"safesqlite"})
    @Description("A read waited for a reader because none was idle")
    @StackTrace(false)
    static final class ReaderWait extends Event {
        @Label("Database")
        String database;
        @Label("Waited")
        @Timespan(Timespan.NANOSECONDS)
        long waited;
    }

    @Name("io.github.safesqlite.Busy")
    @Label("safesqlite Busy")
    @Category({"safesqlite"})
    @Description("SQLITE_BUSY or SQLITE_LOCKED was met")
    @StackTrace(true)
    static final class Busy extends Event {
        @Label("Database")
        String database;
        @Label("Retried")
        boolean retried;
    }

    @Name("io.github.safesqlite.Checkpoint")
    @Label("safesqlite Checkpoint")
    @Category({"safesqlite"})
    @Description("A checkpoint of the WAL ran")
    @StackTrace(false)
    static final class Checkpoint extends Event {
        @Label("Database")
        String database;
        @Label("Mode")
        String mode;
        @Label("Complete")
        boolean complete;
    }

    @Name("io.github.safesqlite.GroupCommit")
    @Label("safesqlite Group Commit")
    @Category({"safesqlite"})
    @Description("Writes queued behind the writer shared one COMMIT (1: they had to run alone)")
    @StackTrace(false)
    static final class GroupCommit extends Event {
        @Label("Database")
        String database;
        @Label("Writes")
        int writes;
    }

    @Override
    public void gateWaited(String path, long nanos) {
        if (!recording()) {
            return;
        }
        GateWait e = new GateWait();
        if (e.isEnabled()) {
            e.database = database;
            e.waited = nanos;
            e.commit();
        }
    }

    @Override
    public void gateHeld(String path, long nanos) {
        if (!recording()) {
            return;
        }
        GateHold e = new GateHold();
        if (e.isEnabled()) {
            e.database = database;
            e.held = nanos;
            e.commit();
        }
    }

    @Override
    public void readerWaited(String path, long nanos) {
        if (!recording()) {
            return;
        }
        ReaderWait e = new ReaderWait();
        if (e.isEnabled()) {
            e.database = database;
            e.waited = nanos;
            e.commit();
        }
    }

    @Override
    public void busy(String path, boolean retrying) {
        if (!recording()) {
            return;
        }
        Busy e = new Busy();
        if (e.isEnabled()) {
            e.database = database;
            e.retried = retrying;
            e.commit();
        }
    }

    @Override
    public void checkpointed(String path, String mode, boolean complete) {
        if (!recording()) {
            return;
        }
        Checkpoint e = new Checkpoint();
        if (e.isEnabled()) {
            e.database = database;
            e.mode = mode;
            e.complete = complete;
            e.commit();
        }
    }

    @Override
    public void writesGrouped(String path, int statements) {
        if (!recording()) {
            return;
        }
        GroupCommit e = new GroupCommit();
        if (e.isEnabled()) {
            e.database = database;
            e.writes = statements;
            e.commit();
        }
    }
}
