package io.github.safesqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every setting, once: its URL and Properties key, default, unit, validation and documentation.
 * Everything else is derived from or checked against this list: the URL, Properties and JNDI
 * parsing ({@link SafeSqliteConfig.Builder#set}) reads it directly; the builder's typed methods,
 * the DataSource's JavaBean setters and the README's settings table are checked against it by a
 * test, which fails when a setting lacks any of them (or a documented default drifts).
 */
enum Setting {
    NAME("name", "", Unit.NONE, "the file name without extension, made unique", Setting::databaseName,
            "the database's name in metric names and JMX; unique in the JVM (a second open file "
            + "called `app.db` gets `app-2`), and naming one already in use fails"),
    SYNCHRONOUS("synchronous", "NORMAL", Unit.NONE, null, Setting::synchronous,
            "`NORMAL`, `FULL` or `EXTRA`"),
    BUSY_TIMEOUT("busy_timeout", "5000", Unit.MILLIS, null, integer(0, Integer.MAX_VALUE),
            "ms a connection waits on a lock held by another process; the writer waits in short jittered sleeps (50 µs doubling to 2 ms) instead of SQLite's 1–100 ms table"),
    FOREIGN_KEYS("foreign_keys", "true", Unit.NONE, null, Setting::bool,
            "`PRAGMA foreign_keys`"),
    CACHE_SIZE("cache_size", "-8000", Unit.NONE, null, whole(Long.MIN_VALUE + 1, Long.MAX_VALUE),
            "`PRAGMA cache_size` per connection: pages if positive, KiB if negative"),
    MMAP_SIZE("mmap_size", "0", Unit.NONE, null, whole(0, Long.MAX_VALUE),
            "`PRAGMA mmap_size` in bytes; 0 (SQLite's default) reads through the page cache: with writes going on, "
            + "128 MiB of mapping measured 0.58x the reads per second of none"),
    JOURNAL_SIZE_LIMIT("journal_size_limit", "67108864", Unit.NONE, null, whole(-1, Long.MAX_VALUE),
            "`PRAGMA journal_size_limit` in bytes; -1 for none"),
    JOURNAL_MODE("journal_mode", "WAL", Unit.NONE, null, Setting::walOnly,
            "accepted only as `WAL`, so existing sqlite-jdbc URLs keep working"),
    // 8 even on 2 cores: readers open only when that many reads overlap, and a read waiting for a
    // reader costs a park and a wake where SQLite would have served it (docs/design.md, "Readers").
    READERS("readers", Integer.toString(Math.max(8, Runtime.getRuntime().availableProcessors())), Unit.NONE,
            "max(8, CPUs)", integer(1, 256),
            "maximum read-only connections"),
    IDLE_TIMEOUT("idle_timeout", "60000", Unit.MILLIS, null, millis(0),
            "ms a database opened through the driver stays open with no connection open on it; then it "
            + "checkpoints, closes its files and reopens at the next connection; 0 keeps it open"),
    CALL_TIMEOUT("call_timeout", "10000", Unit.MILLIS, null, millis(1),
            "ms one JDBC call may wait in all: for the writer gate, a reader, retries and SQLite's busy handler "
            + "together (each of those also keeps its own limit); no call waits longer"),
    GATE_TIMEOUT("gate_timeout", "5000", Unit.MILLIS, null, millis(1),
            "ms a write waits for the writer gate before failing"),
    READER_TIMEOUT("reader_timeout", "5000", Unit.MILLIS, null, millis(1),
            "ms a read waits for a free reader before failing"),
    LEAK_DETECTION_THRESHOLD("leak_detection_threshold", "0", Unit.MILLIS, "`0` (off)", millis(0),
            "ms after which a held writer gate is logged at WARN with the stack where it was taken"),
    STATEMENT_CACHE_SIZE("statement_cache_size", "64", Unit.NONE, null, integer(0, 10_000),
            "prepared statements kept per physical connection; 0 turns the cache off"),
    METRICS("metrics", "true", Unit.NONE, null, Setting::bool,
            "record the metrics below"),
    METRICS_REGISTRY("metrics_registry", "safesqlite", Unit.NONE, null, Setting::name,
            "name of the `SharedMetricRegistries` registry used when the builder got no `metricRegistry(...)`"),
    MAX_QUERY_METRICS("max_query_metrics", "200", Unit.NONE, null, integer(0, 100_000),
            "distinct per-query timers; further statements share `query.other`"),
    SLOW_QUERY_THRESHOLD("slow_query_threshold", "1000", Unit.MILLIS, null, millis(0),
            "ms: slower statements are logged at WARN; 0: off"),
    LOG_PARAMETERS("log_parameters", "false", Unit.NONE, null, Setting::bool,
            "let the slow-query log show bound parameter values"),
    CHECKPOINT_THRESHOLD("checkpoint_threshold", "4194304", Unit.BYTES, null, whole(0, Long.MAX_VALUE),
            "WAL bytes past which the background checkpointer runs a PASSIVE checkpoint"),
    CHECKPOINT_INTERVAL("checkpoint_interval", "100", Unit.MILLIS, null, whole(10, 3_600_000),
            "ms between looks at the WAL (a fifth of it while the WAL grows)"),
    CHECKPOINT_MODE("checkpoint_mode", "AUTO", Unit.NONE, null, v -> enumValue(SafeSqliteConfig.CheckpointMode.class, v),
            "`AUTO`: checkpoints in the background, PASSIVE, and TRUNCATE past `journal_size_limit`; `PASSIVE`: never "
            + "truncates or restarts the WAL; `EXTERNAL`: none at all, another process (Litestream) owns them"),
    JMX("jmx", "false", Unit.NONE, null, Setting::bool,
            "register the health MXBean"),
    ASYNC_QUEUE("async_queue", "1000", Unit.NONE, null, integer(1, 1_000_000),
            "operations `executeAsync`/`inTransactionAsync` accept and have not finished; a caller past it waits "
            + "for room up to `call_timeout`, then gets a failed future (nothing is dropped silently)"),
    BATCH_TRANSACTIONS("batch_transactions", "false", Unit.NONE, null, Setting::bool,
            "`inTransaction` callbacks queued behind the writer share one COMMIT, each in its own savepoint; a "
            + "callback may then run on another caller's thread (see \"Batched units of work\")"),
    OPTIMISTIC_TRANSACTIONS("optimistic_transactions", "false", Unit.NONE, null, Setting::bool,
            "a transaction that is not read-only starts on a reader and moves to the writer at its first write; "
            + "if a commit came in between, that write fails with `SQLITE_BUSY_SNAPSHOT` (see \"Transactions that "
            + "mostly read\")"),
    CLOSE_TIMEOUT("close_timeout", "5000", Unit.MILLIS, null, millis(0),
            "ms `close()` waits for work in flight"),
    RETRY_BASE("retry_base", "1", Unit.MILLIS, null, whole(0, 60_000),
            "ms: bound of the first back-off after `SQLITE_BUSY`/`SQLITE_LOCKED`; doubles per retry"),
    RETRY_CAP("retry_cap", "50", Unit.MILLIS, null, whole(0, 60_000),
            "ms: no single back-off is longer"),
    RETRY_BUDGET("retry_budget", "10000", Unit.MILLIS, null, millis(0),
            "ms one operation may spend on attempts and back-off before it fails; 0: no retries");

    /** The unit a typed builder method names in its suffix ({@code gateTimeoutMillis}, {@code checkpointThresholdBytes}). */
    enum Unit {
        NONE(""), MILLIS("Millis"), BYTES("Bytes");

        final String suffix;

        Unit(String suffix) {
            this.suffix = suffix;
        }
    }

    final String key;
    final String defaultText;
    final Unit unit;
    /** How the README shows the default, when not simply {@code `defaultText`}. */
    private final String defaultDoc;
    /** One line for the README's settings table. */
    final String doc;
    private final Parser parser;

    /** Turns a value as written in a URL or a property into the setting's typed value, or says why not. */
    @FunctionalInterface
    interface Parser {
        Object parse(String value);
    }

    Setting(String key, String defaultText, Unit unit, String defaultDoc, Parser parser, String doc) {
        this.key = key;
        this.parser = parser;
        this.defaultText = defaultText;
        this.unit = unit;
        this.defaultDoc = defaultDoc;
        this.doc = doc;
    }

    /** {@code busy_timeout} → {@code BusyTimeout}. */
    String camelName() {
        StringBuilder out = new StringBuilder();
        for (String part : key.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    /** The builder's typed method: {@code busyTimeoutMillis}. */
    String builderMethod() {
        String camel = camelName();
        return Character.toLowerCase(camel.charAt(0)) + camel.substring(1) + unit.suffix;
    }

    /** The DataSource's JavaBean setter: {@code setBusyTimeout}. */
    String beanSetter() {
        return "set" + camelName();
    }

    /** This setting's row of the README's settings table. */
    String readmeRow() {
        String shownDefault = defaultDoc != null ? defaultDoc : "`" + defaultText + "`";
        return "| `" + key + "` | " + shownDefault + " | " + doc + " (`" + builderMethod() + "`, `" + beanSetter()
                + "`) |";
    }

    /** The typed value of {@code value}; an {@link IllegalArgumentException} says what the setting accepts. */
    Object parse(String value) {
        return parser.parse(value);
    }

    /** A whole number of milliseconds, at least {@code min}, small enough to be counted in nanoseconds. */
    private static Parser millis(long min) {
        return v -> number(v, min, Long.MAX_VALUE / 1_000_000);
    }

    /** A whole number in {@code min..max}. */
    private static Parser whole(long min, long max) {
        return v -> number(v, min, max);
    }

    /** {@code WAL}, the only journal mode safesqlite runs with; anything else is refused, naming it. */
    private static Object walOnly(String v) {
        if (!v.trim().equalsIgnoreCase("WAL")) {
            throw new IllegalArgumentException("safesqlite always uses journal_mode=WAL; remove journal_mode=" + v
                    + " (or set it to WAL)");
        }
        return "WAL";
    }

    /** NORMAL, FULL or EXTRA; OFF (which sqlite-jdbc accepts) is refused, saying why. */
    private static Object synchronous(String v) {
        String t = v.trim();
        if (t.equalsIgnoreCase("OFF") || t.equals("0")) {
            throw new IllegalArgumentException("synchronous=OFF conflicts with safesqlite's promise that an "
                    + "acknowledged commit is never lost: with it, an operating-system crash or power loss can lose "
                    + "commits and corrupt the database; use NORMAL (the default, safe with WAL) or FULL");
        }
        return enumValue(SafeSqliteConfig.Synchronous.class, t);
    }

    /** Empty (derive it from the file name), or a name of letters, digits, '_' and '-'. */
    private static Object databaseName(String v) {
        String name = v.trim();
        if (!name.matches("[A-Za-z0-9_-]{0,64}")) {
            throw new IllegalArgumentException("'" + v + "' is not a database name: use up to 64 letters, digits, "
                    + "'_' or '-' (it becomes part of metric and JMX names)");
        }
        return name;
    }

    /** A non-empty name. */
    private static Object name(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("a registry name cannot be empty");
        }
        return v.trim();
    }

    /** An int in {@code min..max}. */
    private static Parser integer(int min, int max) {
        return v -> (int) number(v, min, max);
    }

    static Setting forKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    static String knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Setting s : values()) {
            keys.add(s.key);
        }
        return String.join(", ", keys);
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String v) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name());
            }
            throw new IllegalArgumentException("'" + v + "' is not one of " + names, e);
        }
    }

    static long number(String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is outside " + min + ".." + max);
        }
        return n;
    }

    static boolean bool(String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "on": case "yes": case "1":
                return true;
            case "false": case "off": case "no": case "0":
                return false;
            default:
                throw new IllegalArgumentException("'" + v + "' is not a boolean (true/false, on/off, yes/no, 1/0)");
        }
    }
}
