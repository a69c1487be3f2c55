package io.github.safesqlite.engine;

import io.github.safesqlite.sql.PragmaForm;
import io.github.safesqlite.sql.SqlStatement;
import io.github.safesqlite.sql.StatementKind;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides where an application's PRAGMA may run. Enforced PRAGMAs may be read, and "set" to the
 * value already enforced (frameworks do that at start-up), but never changed. PRAGMAs that change
 * one physical connection's state are refused, because a logical connection spans several
 * physical ones and the change would apply to one of them at random. Internal to safesqlite.
 */
public final class PragmaPolicy {

    /** Assignments that take effect on the database file, so they run on the writer. */
    private static final Set<String> DATABASE_WRITES = Set.of(
            "user_version", "application_id", "schema_version", "auto_vacuum", "page_size", "encoding");

    /**
     * PRAGMAs that write even when only asked (they vacuum or analyze). wal_checkpoint is not one: it
     * copies committed pages and any connection, a reader included, may run it.
     */
    private static final Set<String> ALWAYS_WRITES = Set.of("optimize", "incremental_vacuum");

    /** Called with an argument, these only report (table_info(t), integrity_check(10) ...). */
    private static final Set<String> REPORTS = Set.of(
            "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
            "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "collation_list",
            "database_list", "function_list", "module_list", "pragma_list", "compile_options", "data_version",
            "page_count", "freelist_count", "stats", "wal_checkpoint");

    /** Reports that read the connection's cached schema without checking it is current (see PhysicalConnection.refreshSchema). */
    private static final Set<String> SCHEMA_REPORTS = Set.of(
            "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
            "foreign_key_list", "foreign_key_check");

    /** Per-connection state; defer_foreign_keys is scoped to one transaction and allowed inside one. */
    private static final Set<String> CONNECTION_STATE = Set.of(
            "case_sensitive_like", "recursive_triggers", "reverse_unordered_selects", "automatic_index",
            "cell_size_check", "checkpoint_fullfsync", "fullfsync", "ignore_check_constraints",
            "legacy_alter_table", "max_page_count", "secure_delete", "soft_heap_limit", "hard_heap_limit",
            "threads", "trusted_schema", "analysis_limit", "read_uncommitted",
            "writable_schema", "defer_foreign_keys", "cache_spill", "count_changes", "short_column_names",
            "full_column_names", "empty_result_callbacks", "temp_store_directory", "data_store_directory",
            "legacy_file_format", "shrink_memory");

    private final Map<String, String> enforced;

    PragmaPolicy(PragmaProfile profile) {
        // The writer's values: query_only is handled on its own below, since readers differ.
        this.enforced = profile.pragmas(PhysicalConnection.Role.WRITER);
    }

    /**
     * Returns {@link StatementKind#READ} or {@link StatementKind#WRITE} for a PRAGMA statement, or
     * {@link StatementKind#EMPTY} for one to skip.
     *
     * @param inWriteTransaction the statement would run inside a transaction on the writer
     * @throws SQLException when the PRAGMA would change an enforced value or per-connection state
     */
    public StatementKind route(SqlStatement pragma, boolean inWriteTransaction) throws SQLException {
        String name = pragma.name();
        boolean asks = pragma.pragmaForm() == PragmaForm.QUERY
                || (pragma.pragmaForm() == PragmaForm.CALL && REPORTS.contains(name));
        if (ALWAYS_WRITES.contains(name)) {
            return StatementKind.WRITE;
        }
        if (asks) {
            return StatementKind.READ;
        }
        if (name.equals("query_only")) {
            throw enforcedError(name, "1 on readers, 0 on the writer", pragma.value());
        }
        String wanted = enforced.get(name);
        if (wanted != null) {
            if (wanted.equals(normalize(name, pragma.value()))) {
                // Already so. Running it changes nothing, except busy_timeout, which on the writer would
                // replace its short-sleep busy handler with SQLite's: that one is skipped altogether.
                return name.equals("busy_timeout") ? StatementKind.EMPTY : StatementKind.READ;
            }
            throw enforcedError(name, wanted, pragma.value());
        }
        if (DATABASE_WRITES.contains(name)) {
            return StatementKind.WRITE;
        }
        if (CONNECTION_STATE.contains(name)) {
            if (name.equals("defer_foreign_keys") && inWriteTransaction) {
                return StatementKind.WRITE;
            }
            throw new SQLException("PRAGMA " + name + " changes the state of one physical connection, but a "
                    + "safesqlite connection spans a writer and a pool of readers, so it cannot be applied "
                    + "consistently. " + (SqliteJdbcOptions.isKey(name)
                    ? "Give it as a connection setting instead (a URL parameter such as ?" + name + "=..., a "
                    + "connection property, or builder().set(\"" + name + "\", ...)): settings apply to every "
                    + "physical connection."
                    : "Set it per statement in SQL where SQLite allows.") + (name.equals("defer_foreign_keys")
                    ? " (defer_foreign_keys is allowed inside a read-write transaction.)" : ""), "0A000");
        }
        // An unknown name: SQLite ignores it. The writer runs it so nothing leaks onto a shared reader.
        return StatementKind.WRITE;
    }

    /** True for a PRAGMA that describes the schema, so its connection must see the current one first. */
    public static boolean describesSchema(SqlStatement pragma) {
        return pragma.kind() == StatementKind.PRAGMA && SCHEMA_REPORTS.contains(pragma.name());
    }

    private static SQLException enforcedError(String name, String enforcedValue, String asked) {
        return new SQLException("PRAGMA " + name + " is enforced by safesqlite (" + name + " = " + enforcedValue
                + "); the statement asked for '" + asked + "'. Change it through the data source's settings "
                + "(URL parameter or builder), not in SQL.", "42000");
    }

    /** Puts a PRAGMA value into the form {@link PragmaProfile} uses, or returns it unchanged if unknown. */
    static String normalize(String name, String value) {
        if (value == null) {
            return "";
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "synchronous":
                return switch (v) {
                    case "off" -> "0";
                    case "normal" -> "1";
                    case "full" -> "2";
                    case "extra" -> "3";
                    default -> v;
                };
            case "temp_store":
                return switch (v) {
                    case "default" -> "0";
                    case "file" -> "1";
                    case "memory" -> "2";
                    default -> v;
                };
            case "foreign_keys":
                return switch (v) {
                    case "on", "true", "yes" -> "1";
                    case "off", "false", "no" -> "0";
                    default -> v;
                };
            default:
                return v;
        }
    }
}
