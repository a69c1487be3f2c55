package io.github.safesqlite.sql;

/** How a PRAGMA statement was written. */
public enum PragmaForm {
    /** {@code PRAGMA name}: asks for the current value. */
    QUERY,
    /** {@code PRAGMA name = value}. */
    ASSIGN,
    /** {@code PRAGMA name(value)}: sets the value, or asks with an argument (e.g. {@code table_info(t)}). */
    CALL
}
