package io.github.safesqlite.engine;

import io.github.safesqlite.SafeSqliteConfig;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * The PRAGMAs every physical connection gets, with the value SQLite must report back. Values come
 * only from a validated {@link SafeSqliteConfig} (numbers and enum constants), so the SQL built
 * here never contains text a user typed.
 */
final class PragmaProfile {

    private final SafeSqliteConfig config;

    PragmaProfile(SafeSqliteConfig config) {
        this.config = config;
    }

    /** The enforced PRAGMAs for {@code role}, as name -> value in the order they are applied. */
    Map<String, String> pragmas(PhysicalConnection.Role role) {
        Map<String, String> p = new LinkedHashMap<>();
        // busy_timeout first, so switching to WAL waits for other processes instead of failing.
        p.put("busy_timeout", Integer.toString(config.busyTimeoutMillis()));
        p.put("journal_mode", config.inMemory() ? "memory" : "wal");
        p.put("synchronous", Integer.toString(config.synchronous().level()));
        p.put("foreign_keys", config.foreignKeys() ? "1" : "0");
        p.put("temp_store", "2");
        p.put("cache_size", Long.toString(config.cacheSize()));
        if (!config.inMemory()) {
            p.put("mmap_size", Long.toString(config.mmapSize()));
        }
        p.put("journal_size_limit", Long.toString(config.journalSizeLimit()));
        if (!config.inMemory()) {
            p.put("wal_autocheckpoint", "0"); // the background checkpointer does it, off the committing thread
        }
        p.put("locking_mode", "normal");
        p.put("query_only", role == PhysicalConnection.Role.READER ? "1" : "0");
        return p;
    }

    /** Applies every PRAGMA of the profile and reads it back; a value SQLite did not take fails the open. */
    void apply(SQLiteConnection connection, PhysicalConnection.Role role) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (Map.Entry<String, String> e : pragmas(role).entrySet()) {
                String name = e.getKey();
                String wanted = e.getValue();
                if (!(name.equals("journal_mode") && role == PhysicalConnection.Role.READER)) {
                    // Readers only verify the journal mode: the writer set it when the engine opened.
                    st.execute("PRAGMA " + name + " = " + wanted);
                }
                String actual = readBack(st, name);
                if (!wanted.equalsIgnoreCase(actual)) {
                    throw mismatch(name, wanted, actual);
                }
            }
        }
    }

    private SQLException mismatch(String name, String wanted, String actual) {
        if (name.equals("journal_mode")) {
            return new SQLException("database " + config.path() + " could not be switched to journal_mode=WAL (SQLite "
                    + "answered '" + actual + "'). WAL needs shared memory on a local file system: move the file off "
                    + "network or read-only storage, or check that no other program holds it in another journal "
                    + "mode", "08001");
        }
        return new SQLException("PRAGMA " + name + " = " + wanted + " did not take effect on " + config.path()
                + " (SQLite reports " + actual + "); this SQLite build may cap or ignore it: choose a value it accepts",
                "08001");
    }

    private static String readBack(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? String.valueOf(rs.getString(1)).toLowerCase(Locale.ROOT) : "";
        }
    }
}
