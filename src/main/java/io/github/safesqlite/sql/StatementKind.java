package io.github.safesqlite.sql;

/** What one SQL statement is, as far as routing it to a physical connection is concerned. */
public enum StatementKind {
    /** Reads only: may run on a {@code query_only} reader. */
    READ,
    /** Changes the database: runs on the writer. */
    WRITE,
    /** {@code BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION]}. */
    BEGIN,
    /** {@code COMMIT} or {@code END}. */
    COMMIT,
    /** {@code ROLLBACK} of the whole transaction. */
    ROLLBACK,
    /** {@code SAVEPOINT name}. */
    SAVEPOINT,
    /** {@code RELEASE [SAVEPOINT] name}. */
    RELEASE,
    /** {@code ROLLBACK [TRANSACTION] TO [SAVEPOINT] name}. */
    ROLLBACK_TO,
    /** A PRAGMA; whether it reads, writes or touches connection state depends on its name and form. */
    PRAGMA,
    /** Changes state of one physical connection (ATTACH, DETACH, CREATE TEMP ..., load_extension). */
    CONNECTION_STATE,
    /** Nothing but comments or white space. */
    EMPTY
}
