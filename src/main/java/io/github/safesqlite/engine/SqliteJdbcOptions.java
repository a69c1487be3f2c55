package io.github.safesqlite.engine;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * sqlite-jdbc's own connection settings ({@code date_class}, {@code open_mode}, {@code
 * recursive_triggers} ...), as {@code new SQLiteConfig().toProperties()} and sqlite-jdbc URLs give
 * them. The keys are sqlite-jdbc's ({@link SQLiteConfig.Pragma}), so a key it adds in a later version
 * is accepted too. Keys safesqlite also has as settings ({@code cache_size}, {@code synchronous} ...)
 * are safesqlite settings and never reach this class.
 *
 * <p>A compatible option passes through to every physical connection, writer and readers alike,
 * through sqlite-jdbc's own {@code SQLiteConfig}: that is what makes per-connection state such as
 * {@code recursive_triggers} consistent, where the same PRAGMA sent as SQL would reach one physical
 * connection at random. An option that would break the profile fails here, naming the conflict.
 * Internal to safesqlite.
 */
public final class SqliteJdbcOptions {

    /** JDBC's standard properties. SQLite has no users; sqlite-jdbc's 'password' is an SQLCipher key this build lacks. */
    public static final Set<String> STANDARD_JDBC = Set.of("user", "password");

    /** Options that write to the database file when applied, so only the writer gets them. */
    private static final Set<String> WRITER_ONLY = Set.of("user_version", "application_id");

    /** Open flags that keep the profile: private caches, read-write, the mutex mode, URI file names. */
    private static final int COMPATIBLE_OPEN_FLAGS = SQLiteOpenMode.READWRITE.flag | SQLiteOpenMode.CREATE.flag
            | SQLiteOpenMode.OPEN_URI.flag | SQLiteOpenMode.NOMUTEX.flag | SQLiteOpenMode.FULLMUTEX.flag
            | SQLiteOpenMode.PRIVATECACHE.flag
            // Flags for the VFS that sqlite3_open_v2 ignores:
            | SQLiteOpenMode.MAIN_DB.flag | SQLiteOpenMode.TEMP_DB.flag | SQLiteOpenMode.TRANSIENT_DB.flag
            | SQLiteOpenMode.MAIN_JOURNAL.flag | SQLiteOpenMode.TEMP_JOURNAL.flag | SQLiteOpenMode.SUBJOURNAL.flag
            | SQLiteOpenMode.MASTER_JOURNAL.flag;

    private static final Set<String> KEYS = new HashSet<>();

    static {
        for (SQLiteConfig.Pragma p : SQLiteConfig.Pragma.values()) {
            KEYS.add(p.pragmaName);
        }
    }

    private SqliteJdbcOptions() {
    }

    /** True when sqlite-jdbc itself understands {@code key}. */
    public static boolean isKey(String key) {
        return KEYS.contains(key);
    }

    /** True when {@code key} is applied to the writer only. */
    public static boolean writerOnly(String key) {
        return WRITER_ONLY.contains(key);
    }

    /**
     * Checks that sqlite-jdbc option {@code key = value} keeps safesqlite's profile, and returns the
     * value to pass on.
     *
     * @throws IllegalArgumentException naming the conflict and what to do instead
     */
    public static String check(String key, String value) {
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        switch (key) {
            case "open_mode" -> checkOpenMode(v);
            case "shared_cache" -> refuseIf(isTrue(lower), key, v, "shared-cache connections lock each other's tables "
                    + "(SQLITE_LOCKED) instead of reading WAL snapshots side by side; remove it (safesqlite's "
                    + "readers already share the file)");
            case "locking_mode" -> refuseIf(!lower.equals("normal"), key, v, "an EXCLUSIVE lock would keep the "
                    + "readers out of the file; remove it");
            case "temp_store" -> refuseIf(!lower.equals("memory") && !lower.equals("2"), key, v,
                    "safesqlite keeps temporary tables and indices in memory (temp_store=MEMORY) on every connection");
            case "wal_autocheckpoint" -> refuseIf(true, key, v, "safesqlite checkpoints in the background, off the "
                    + "committing thread; tune it with checkpoint_threshold and checkpoint_interval instead");
            case "count_changes" -> refuseIf(isTrue(lower), key, v, "it makes INSERT, UPDATE and DELETE return rows, "
                    + "which JDBC update counts and safesqlite's routing do not expect (it is deprecated in SQLite); "
                    + "remove it");
            case "incremental_vacuum" -> refuseIf(true, key, v, "applied at every connection open it would write "
                    + "from the readers; run PRAGMA incremental_vacuum as a statement instead");
            default -> {
                // Compatible: it is applied the same way to every physical connection.
            }
        }
        return v;
    }

    /** The properties sqlite-jdbc opens one physical connection with. */
    public static java.util.Properties forConnection(Map<String, String> options, boolean writer) {
        java.util.Properties p = new java.util.Properties();
        options.forEach((k, v) -> {
            if (writer || !writerOnly(k)) {
                p.setProperty(k, v);
            }
        });
        return p;
    }

    private static void checkOpenMode(String v) {
        int flags;
        try {
            flags = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sqlite-jdbc option open_mode=" + v + " is not a number of "
                    + "SQLiteOpenMode flags", e);
        }
        int foreign = flags & ~COMPATIBLE_OPEN_FLAGS;
        StringBuilder names = new StringBuilder();
        for (SQLiteOpenMode m : SQLiteOpenMode.values()) {
            if ((foreign & m.flag) != 0) {
                names.append(names.length() == 0 ? "" : ", ").append(m.name());
            }
        }
        refuseIf(foreign != 0, "open_mode", v, "safesqlite cannot open with " + names + ": its writer needs "
                + "READWRITE, its readers a private cache, and the file must outlive the connection; keep READWRITE, "
                + "CREATE, OPEN_URI, NOMUTEX, FULLMUTEX and PRIVATECACHE only");
        refuseIf((flags & SQLiteOpenMode.READWRITE.flag) == 0, "open_mode", v, "it lacks READWRITE, which "
                + "safesqlite's writer needs");
    }

    private static boolean isTrue(String lower) {
        return lower.equals("true") || lower.equals("1") || lower.equals("on") || lower.equals("yes");
    }

    private static void refuseIf(boolean conflict, String key, String value, String why) {
        if (conflict) {
            throw new IllegalArgumentException("sqlite-jdbc option " + key + "=" + value + " conflicts with "
                    + "safesqlite's profile: " + why);
        }
    }
}
